using Hearth.Soak.History;

namespace Hearth.Soak.Checking;

/// <summary>A history, indexed the ways the invariants look at it.</summary>
internal sealed class HistoryIndex
{
    public HistoryIndex(IReadOnlyList<HistoryEvent> events)
    {
        Events = [.. events.OrderBy(e => e.T)];
        foreach (var e in Events)
        {
            switch (e.Type)
            {
                case EventTypes.Submit when e.Job is not null && e.Http is >= 200 and < 300:
                    Acked.TryAdd(e.Job, e);
                    break;
                case EventTypes.Status or EventTypes.Cancel or EventTypes.Stream when e.Job is not null:
                    Add(Reads, e.Job, e);
                    break;
                case EventTypes.Webhook when e.Job is not null:
                    Add(Webhooks, e.Job, e);
                    break;
                case EventTypes.Take when e.Job is not null:
                    Add(Takes, e.Job, e);
                    break;
                case EventTypes.Start when e.Job is not null:
                    Add(Starts, e.Job, e);
                    if (e.Nonce is not null)
                    {
                        StartByNonce.TryAdd(e.Nonce, e);
                    }

                    break;
                case EventTypes.Result when e.Job is not null:
                    Add(Results, e.Job, e);
                    break;
                case EventTypes.StepRun when e.Scope is not null && e.Step is not null:
                    Add(StepRuns, e.Scope + "\n" + e.Step, e);
                    break;
                case EventTypes.Journal when e.Job is not null && e.Step is not null:
                    Journals.Add(e);
                    break;
                case EventTypes.StopOrder when e.Job is not null:
                    Add(StopOrders, e.Job, e);
                    break;
                case EventTypes.Fault:
                    Faults.Add(e);
                    break;
                case EventTypes.Outage:
                    Outages.Add(e);
                    break;
                case EventTypes.Note:
                    Notes.Add(e);
                    break;
            }
        }
    }

    public List<HistoryEvent> Events { get; }

    /// <summary>Each acknowledged job's first 2xx submit.</summary>
    public Dictionary<string, HistoryEvent> Acked { get; } = new(StringComparer.Ordinal);

    /// <summary>Client reads of each job (status, cancel and stream answers), by time.</summary>
    public Dictionary<string, List<HistoryEvent>> Reads { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, List<HistoryEvent>> Webhooks { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, List<HistoryEvent>> Takes { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, List<HistoryEvent>> Starts { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, HistoryEvent> StartByNonce { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, List<HistoryEvent>> Results { get; } = new(StringComparer.Ordinal);

    /// <summary>Step bodies that ran, by journal scope and step key.</summary>
    public Dictionary<string, List<HistoryEvent>> StepRuns { get; } = new(StringComparer.Ordinal);

    public List<HistoryEvent> Journals { get; } = [];

    /// <summary>Stop orders workers received, by job.</summary>
    public Dictionary<string, List<HistoryEvent>> StopOrders { get; } = new(StringComparer.Ordinal);

    public List<HistoryEvent> Faults { get; } = [];

    public List<HistoryEvent> Outages { get; } = [];

    public List<HistoryEvent> Notes { get; } = [];

    /// <summary>The journal a job's steps go to: its session, else the job itself.</summary>
    public string ScopeOf(string job) =>
        (Acked.TryGetValue(job, out var s) ? s.Scope : null)
        ?? Starts.GetValueOrDefault(job)?.Select(e => e.Scope).FirstOrDefault(x => x is not null)
        ?? job;

    public static bool IsTerminal(string? status) =>
        status is "COMPLETED" or "FAILED" or "CANCELLED" or "TIMED_OUT";

    /// <summary>The first read that saw the job final, or null.</summary>
    public HistoryEvent? FirstTerminal(string job) =>
        Reads.GetValueOrDefault(job)?.FirstOrDefault(r => r.Http == 200 && IsTerminal(r.Status) && r.Type == EventTypes.Status);

    /// <summary>The nonce of the attempt whose result a final read shows, if any.</summary>
    public static string? NonceIn(HistoryEvent read)
    {
        foreach (var text in new[] { read.Output, read.Error })
        {
            var at = text?.IndexOf("nonce-", StringComparison.Ordinal) ?? -1;
            if (at >= 0 && at + 18 <= text!.Length)
            {
                return text.Substring(at, 18);
            }
        }

        return null;
    }

    private static void Add(Dictionary<string, List<HistoryEvent>> map, string key, HistoryEvent e)
    {
        if (!map.TryGetValue(key, out var list))
        {
            map[key] = list = [];
        }

        list.Add(e);
    }
}

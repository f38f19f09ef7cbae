using Hearth.Soak.History;

namespace Hearth.Soak.Checking;

/// <summary>
/// Proves a soak's history against the invariants (<see cref="Invariants"/>). Pure: it reads the events and nothing
/// else, so each invariant is tested on crafted histories. Every violation carries the history lines that show it.
/// </summary>
public sealed partial class HistoryChecker(CheckSettings settings)
{
    /// <summary>Most evidence lines kept per violation.</summary>
    private const int MaxEvidence = 12;

    /// <summary>Checks every invariant.</summary>
    public CheckResult Check(IReadOnlyList<HistoryEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        var index = new HistoryIndex(events);
        return new CheckResult(
        [
            AckedJobsFinal(index),
            ResultsNeverChange(index),
            NoFencedCompletion(index),
            JournaledStepsNotRerun(index),
            WebhooksDelivered(index),
            WorkerLostEqualsKills(index),
            No5xxOutsideOutages(index),
            NothingStuckInProgress(index),
        ]);
    }

    private static InvariantResult Result(string name, int checkedCount, List<Violation> violations, string? notExercised = null) =>
        new(name, Invariants.Descriptions[name], checkedCount, violations, notExercised);

    private static Violation Violated(string? job, string message, IEnumerable<HistoryEvent?> evidence) =>
        new(job, message, [.. evidence.OfType<HistoryEvent>().Take(MaxEvidence)]);

    /// <summary>I1: every acknowledged job was seen final; never lost (404) before that; never two final statuses.</summary>
    private InvariantResult AckedJobsFinal(HistoryIndex h)
    {
        var violations = new List<Violation>();
        foreach (var (job, submit) in h.Acked)
        {
            var reads = h.Reads.GetValueOrDefault(job) ?? [];
            var first = h.FirstTerminal(job);
            if (first is null)
            {
                violations.Add(Violated(job, "acknowledged but never seen in a final state", [submit, .. reads.TakeLast(4)]));
                continue;
            }

            var lost = reads.FirstOrDefault(r => r.Http == 404 && r.T < first.T);
            if (lost is not null)
            {
                violations.Add(Violated(job, "acknowledged, then answered 404 before it was final (lost)", [submit, lost, first]));
            }

            var other = reads.Concat(h.Webhooks.GetValueOrDefault(job) ?? [])
                .FirstOrDefault(r => r.Http is null or 200 && HistoryIndex.IsTerminal(r.Status) && r.Status != first.Status);
            if (other is not null)
            {
                violations.Add(Violated(job, $"two final states: {first.Status} and then {other.Status}", [submit, first, other]));
            }
        }

        return Result(Invariants.AckedJobsFinal, h.Acked.Count, violations);
    }

    /// <summary>I4: once a client saw a job final, every later read and every webhook shows the same status, output
    /// and error; a 404 is allowed only once the result retention may have ended.</summary>
    private InvariantResult ResultsNeverChange(HistoryIndex h)
    {
        var violations = new List<Violation>();
        var checkedCount = 0;
        foreach (var job in h.Reads.Keys)
        {
            if (h.FirstTerminal(job) is not { } first)
            {
                continue;
            }

            checkedCount++;

            // Retention runs from the completion, which the client only bounds: after its last read of the job as not
            // yet final (or the acknowledgement), at or before its first final read. A 404 is a loss only when it came
            // before that earliest completion + retention.
            var completedAfter = h.Reads[job]
                .Where(r => r.Type == EventTypes.Status && r.Http == 200 && r.T <= first.T0 && !HistoryIndex.IsTerminal(r.Status))
                .Select(r => r.T0).Append(h.Acked.TryGetValue(job, out var ack) ? ack.T0 : first.T0).Max();
            var later = h.Reads[job].Where(r => r.Type == EventTypes.Status && r.T0 > first.T)
                .Concat((h.Webhooks.GetValueOrDefault(job) ?? []).Where(w => w.Valid == true));
            foreach (var read in later)
            {
                if (read.Http == 404 && read.T - completedAfter >= settings.RetentionMs)
                {
                    continue;
                }

                if (read.Type == EventTypes.Status && read.Http != 200)
                {
                    if (read.Http == 404)
                    {
                        violations.Add(Violated(job, "a final result answered 404 before its retention ended", [first, read]));
                    }

                    continue;
                }

                if (read.Status != first.Status || !SameJson(read.Output, first.Output) || read.Error != first.Error)
                {
                    var what = read.Type == EventTypes.Webhook ? "a webhook" : "a later read";
                    violations.Add(Violated(job, $"{what} showed {read.Status} where the client had read {first.Status} "
                        + "(or another output/error)", [first, read]));
                    break;
                }
            }
        }

        return Result(Invariants.ResultsNeverChange, checkedCount, violations);
    }

    /// <summary>Two JSON texts are the same value (the status body and a webhook body may space it differently).</summary>
    private static bool SameJson(string? a, string? b)
    {
        if (a == b)
        {
            return true;
        }

        if (a is null || b is null)
        {
            return false;
        }

        try
        {
            using var x = System.Text.Json.JsonDocument.Parse(a);
            using var y = System.Text.Json.JsonDocument.Parse(b);
            return System.Text.Json.Nodes.JsonNode.DeepEquals(
                System.Text.Json.Nodes.JsonNode.Parse(x.RootElement.GetRawText()),
                System.Text.Json.Nodes.JsonNode.Parse(y.RootElement.GetRawText()));
        }
        catch (System.Text.Json.JsonException)
        {
            return false;
        }
    }
}

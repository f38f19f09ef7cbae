using System.Text.RegularExpressions;
using Hearth.Soak.History;

namespace Hearth.Soak.Checking;

public sealed partial class HistoryChecker
{
    /// <summary>
    /// I3: the result a client read final came from the job's last grant (no take of a later attempt exists: a later
    /// grant means the one that wrote the result had been fenced, or that a final job was handed out again); the
    /// control plane never refused a result (409) that it then recorded; and every result it accepted (200) is the one
    /// recorded.
    /// </summary>
    private static InvariantResult NoFencedCompletion(HistoryIndex h)
    {
        var violations = new List<Violation>();
        var checkedCount = 0;
        foreach (var job in h.Reads.Keys)
        {
            if (h.FirstTerminal(job) is not { } final)
            {
                continue;
            }

            var results = h.Results.GetValueOrDefault(job) ?? [];
            var nonce = HistoryIndex.NonceIn(final);
            if (nonce is not null)
            {
                checkedCount++;
                var start = h.StartByNonce.GetValueOrDefault(nonce);
                var attempt = start?.Attempt ?? AttemptIn(final);
                if (start is not null && start.Job != job)
                {
                    violations.Add(Violated(job, $"its result was written by a run of job {start.Job}", [final, start]));
                }

                var later = (h.Takes.GetValueOrDefault(job) ?? []).FirstOrDefault(t => t.Attempt > attempt);
                if (attempt is not null && later is not null)
                {
                    var post = results.FirstOrDefault(r => r.Nonce == nonce);
                    violations.Add(Violated(job, $"completed by attempt {attempt} although attempt {later.Attempt} had "
                        + "been granted (a fenced attempt's result was accepted, or a final job was granted again)",
                        [start, later, post, final]));
                }

                var own = results.Where(r => r.Nonce == nonce).ToList();
                if (own.Count > 0 && own.All(r => r.Http is >= 400 and < 500))
                {
                    violations.Add(Violated(job, $"its recorded result was refused ({own[0].Http}) when posted",
                        [.. own, final]));
                }
            }

            foreach (var accepted in results.Where(r => r.Http == 200 && r.Nonce is not null && r.Nonce != nonce))
            {
                checkedCount++;
                violations.Add(Violated(job, $"a result was accepted (200) but the job shows {final.Status} "
                    + "with another attempt's result", [accepted, final]));
            }
        }

        return Result(Invariants.NoFencedCompletion, checkedCount, violations);
    }

    /// <summary>The attempt written in an output (<c>"attempt":n</c>) or error text (<c>attempt=n</c>).</summary>
    private static int? AttemptIn(HistoryEvent read)
    {
        var m = AttemptPattern().Match((read.Output ?? string.Empty) + " " + (read.Error ?? string.Empty));
        return m.Success ? int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : null;
    }

    [GeneratedRegex("\"?attempt\"?[:=](\\d+)")]
    private static partial Regex AttemptPattern();

    /// <summary>I7: once a step's journal write was acknowledged, no later run of the job (or of its session) ran
    /// that step's body again.</summary>
    private static InvariantResult JournaledStepsNotRerun(HistoryIndex h)
    {
        var violations = new List<Violation>();
        var written = h.Journals.Where(j => j.Http is >= 200 and < 300)
            .GroupBy(j => h.ScopeOf(j.Job!) + "\n" + j.Step, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.MinBy(j => j.T)!, StringComparer.Ordinal);
        foreach (var (key, write) in written)
        {
            var rerun = (h.StepRuns.GetValueOrDefault(key) ?? []).FirstOrDefault(r => r.T > write.T);
            if (rerun is not null)
            {
                violations.Add(Violated(write.Job, $"step {write.Step} ran again (attempt {rerun.Attempt}) after its "
                    + $"journal write was acknowledged (attempt of the write: {JournalAttempt(h, write)})", [write, rerun]));
            }
        }

        var ran = h.StepRuns.Count;
        return Result(Invariants.JournaledStepsNotRerun, written.Count, violations,
            ran == 0 ? "no journaled step ran" : null);
    }

    private static int? JournalAttempt(HistoryIndex h, HistoryEvent write) =>
        (h.Starts.GetValueOrDefault(write.Job!) ?? []).LastOrDefault(s => s.Pid == write.Pid && s.T <= write.T)?.Attempt;

    /// <summary>Webhooks: every acknowledged job submitted with a webhook and seen final got at least one delivery
    /// with a valid signature carrying that final status.</summary>
    private static InvariantResult WebhooksDelivered(HistoryIndex h)
    {
        var violations = new List<Violation>();
        var checkedCount = 0;
        foreach (var (job, submit) in h.Acked.Where(a => a.Value.Webhook is not null))
        {
            if (h.FirstTerminal(job) is not { } final)
            {
                continue;
            }

            checkedCount++;
            var deliveries = h.Webhooks.GetValueOrDefault(job) ?? [];
            if (!deliveries.Any(d => d.Valid == true && d.Status == final.Status))
            {
                var why = deliveries.Count == 0 ? "no delivery arrived"
                    : deliveries.Any(d => d.Valid != true) ? "deliveries arrived, none with a valid signature"
                    : "deliveries arrived, none with the final status";
                violations.Add(Violated(job, $"webhook of a {final.Status} job not delivered: {why}",
                    [submit, final, .. deliveries]));
            }
        }

        var refused = h.Notes.FirstOrDefault(n => n.Kind == "webhooks-refused");
        return Result(Invariants.WebhooksDelivered, checkedCount, violations,
            checkedCount == 0 ? refused?.Detail ?? "no job with a webhook was acknowledged" : null);
    }
}

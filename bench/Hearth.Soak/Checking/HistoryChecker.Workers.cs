using System.Globalization;
using System.Text.RegularExpressions;
using Hearth.Soak.History;

namespace Hearth.Soak.Checking;

public sealed partial class HistoryChecker
{
    /// <summary>Fault kinds that take a worker's jobs away from it (its grants are lost, and should be).</summary>
    private static readonly HashSet<string> Kills = new(StringComparer.Ordinal) { FaultKinds.WorkerKill, FaultKinds.WorkerPause };

    /// <summary>Fault kinds whose network damage may lose a take's answer or a result post.</summary>
    private static readonly HashSet<string> NetworkFaults = new(StringComparer.Ordinal)
    {
        FaultKinds.ProxyReset, FaultKinds.ReplicaKill, FaultKinds.StoreRestart, FaultKinds.StoreOutage,
    };

    /// <summary>
    /// R1: a job's worker-lost count (its final attempt − 1, or the count in a <c>worker_lost_limit</c> error) equals
    /// the kills of the workers that held it. Each lost attempt must be explained: its worker was killed or paused past
    /// its lease after taking it; or every post of its result failed in transit; or, for an attempt whose take answer
    /// never reached a worker, a kill or a network fault happened while it was out.
    /// </summary>
    private InvariantResult WorkerLostEqualsKills(HistoryIndex h)
    {
        var violations = new List<Violation>();
        var checkedCount = 0;
        foreach (var job in h.Acked.Keys)
        {
            if (h.FirstTerminal(job) is not { } final || LostAttempts(h, final) is not { } lost)
            {
                continue;
            }

            checkedCount++;
            var takes = h.Takes.GetValueOrDefault(job) ?? [];
            for (var k = 1; k <= lost; k++)
            {
                if (Explain(h, job, k, takes, final) is null)
                {
                    var take = takes.FirstOrDefault(t => t.Attempt == k);
                    var results = (h.Results.GetValueOrDefault(job) ?? []).Where(r => r.Attempt == k);
                    var stops = (h.StopOrders.GetValueOrDefault(job) ?? []).Where(s => take is not null && s.Pid == take.Pid && s.T >= take.T);
                    var killed = h.Notes.FirstOrDefault(n => n.Kind == "control-plane-kill" && take is not null && n.Worker == take.Worker && n.T >= take.T);
                    var why = killed is null ? string.Empty : "; the control plane itself killed that worker: " + killed.Detail;
                    violations.Add(Violated(job, $"attempt {k} was lost (the job ran again) but no injected kill or pause "
                        + $"of its worker ({take?.Worker ?? "unknown: its take answer was never seen"}) explains it{why}",
                        [h.Acked[job], take, killed, .. stops.Take(2), .. results, takes.FirstOrDefault(t => t.Attempt == k + 1), final]));
                }
            }
        }

        return Result(Invariants.WorkerLostEqualsKills, checkedCount, violations,
            h.Faults.Any(f => Kills.Contains(f.Kind!)) ? null : "no worker was killed or paused");
    }

    /// <summary>How many grants of a final job were lost: its final attempt − 1 when the result names it, the count
    /// of a worker_lost_limit error; null when the history cannot tell (timed out, cancelled).</summary>
    private static int? LostAttempts(HistoryIndex h, HistoryEvent final)
    {
        var limit = LostLimitPattern().Match(final.Error ?? string.Empty);
        if (limit.Success)
        {
            return int.Parse(limit.Groups[1].Value, CultureInfo.InvariantCulture);
        }

        if (HistoryIndex.NonceIn(final) is not { } nonce)
        {
            return null;
        }

        var attempt = h.StartByNonce.GetValueOrDefault(nonce)?.Attempt ?? AttemptIn(final);
        return attempt - 1;
    }

    private string? Explain(HistoryIndex h, string job, int attempt, List<HistoryEvent> takes, HistoryEvent final)
    {
        var take = takes.FirstOrDefault(t => t.Attempt == attempt);
        var next = takes.FirstOrDefault(t => t.Attempt > attempt)?.T ?? final.T;
        if (take is not null)
        {
            // A kill after the take was sent, or a pause past the lease that overlaps the grant (the injector stamps a
            // pause when it sends SIGSTOP, so a take already on its way can carry a later start than the pause).
            var hit = h.Faults.FirstOrDefault(f => Kills.Contains(f.Kind!) && f.Pid == take.Pid && f.T <= next
                && (f.Kind == FaultKinds.WorkerPause
                    ? f.Until - f.T >= settings.LeaseMs && f.Until >= take.T0
                    : f.T >= take.T0));
            if (hit is not null)
            {
                return hit.Kind;
            }

            var posts = (h.Results.GetValueOrDefault(job) ?? []).Where(r => r.Attempt == attempt && r.Pid == take.Pid).ToList();
            if (posts.Count > 0 && posts.All(p => p.Http is null or >= 500) && Network(h, take.T, next) is not null)
            {
                return "result undeliverable";
            }

            return null;
        }

        // The grant's answer never reached a worker (or its worker died before writing it down).
        var previous = takes.LastOrDefault(t => t.Attempt < attempt)?.T ?? h.Acked[job].T0 ?? 0;
        return h.Faults.FirstOrDefault(f => Kills.Contains(f.Kind!) && f.T >= previous && f.T <= next)?.Kind
            ?? GrantedToTheKilled(h, previous, next)
            ?? Network(h, previous, next)
            ?? HandedBack(h, previous, next);
    }

    /// <summary>
    /// A worker killed just before the job was submitted can still be granted it: its take was open on the control
    /// plane until the process exit was noticed. It then ends holding the job, which runs again at once.
    /// </summary>
    private static string? GrantedToTheKilled(HistoryIndex h, long previous, long next) =>
        h.Notes.Any(n => n.Kind == "worker-ended" && n.T >= previous && n.T <= next
            && h.Faults.Any(f => f.Kind == FaultKinds.WorkerKill && f.Worker == n.Worker && f.T <= n.T))
            ? FaultKinds.WorkerKill + " (the grant reached a worker already killed)" : null;

    /// <summary>
    /// A grant no worker saw that was granted again sooner than a lease could run out was handed back, not lost: the
    /// worker hung up the take as the control plane granted it (draining, or leaving), and the control plane
    /// released it at once without counting a lost worker (<c>release.lua</c>). It still used up an attempt. Not so
    /// when a worker ended holding jobs meanwhile: that was a loss (counted), and only a kill explains it.
    /// </summary>
    private string? HandedBack(HistoryIndex h, long previous, long next) =>
        next - previous < settings.LeaseMs
        && !h.Notes.Any(n => n.Kind == "worker-ended" && n.T >= previous && n.T <= next)
            ? "handed back (granted again within the lease)" : null;

    /// <summary>A network fault or outage that overlaps [from, to].</summary>
    private static string? Network(HistoryIndex h, long from, long to) =>
        h.Faults.FirstOrDefault(f => NetworkFaults.Contains(f.Kind!) && f.T <= to && (f.Until ?? f.T) >= from)?.Kind;

    [GeneratedRegex("worker lost (\\d+) times")]
    private static partial Regex LostLimitPattern();

    /// <summary>I8 / R10: every 5xx any client or worker got was a 503 inside a declared outage (plus the slack for
    /// the store and replicas to come back).</summary>
    private InvariantResult No5xxOutsideOutages(HistoryIndex h)
    {
        var violations = new List<Violation>();
        var answers = h.Events.Where(e => e.Http is not null && e.Type != EventTypes.Webhook).ToList();
        foreach (var e in answers.Where(e => e.Http >= 500))
        {
            var during = h.Outages.FirstOrDefault(o => (e.T0 ?? e.T) <= o.Until + settings.OutageSlackMs && e.T >= o.T0);
            if (e.Http != 503)
            {
                violations.Add(Violated(e.Job, $"answered {e.Http} ({e.Type} {e.Target})", [e, during]));
            }
            else if (during is null)
            {
                violations.Add(Violated(e.Job, $"answered 503 outside any declared outage ({e.Type} {e.Target})", [e]));
            }
        }

        return Result(Invariants.No5xxOutsideOutages, answers.Count, violations);
    }

    /// <summary>
    /// I5 / R5: a read that saw a job IN_PROGRESS came at most timeout + lease + 2 sweeps (+ 1 s, + any declared
    /// outage meanwhile) after that attempt's start. The start is the control plane's own: the submit's
    /// acknowledgement (an upper bound on its submission time) plus the delayTime the read carried.
    /// </summary>
    private InvariantResult NothingStuckInProgress(HistoryIndex h)
    {
        var violations = new List<Violation>();
        var checkedCount = 0;
        foreach (var (job, submit) in h.Acked)
        {
            foreach (var read in (h.Reads.GetValueOrDefault(job) ?? []).Where(r => r.Status == "IN_PROGRESS" && r.DelayMs is not null))
            {
                checkedCount++;
                var started = submit.T + read.DelayMs!.Value;
                var seen = read.T0 ?? read.T;
                var outages = h.Outages.Sum(o => Math.Max(0, Math.Min(o.Until ?? o.T, seen) - Math.Max(o.T0 ?? o.T, started)));
                var bound = (submit.TimeoutMs ?? 600_000) + settings.LeaseMs + (2 * settings.SweepMs) + 1000 + outages;
                if (seen - started > bound)
                {
                    violations.Add(Violated(job, $"IN_PROGRESS {seen - started} ms after its attempt started "
                        + $"(bound {bound} ms)", [submit, read]));
                    break;
                }
            }
        }

        return Result(Invariants.NothingStuckInProgress, checkedCount, violations);
    }
}

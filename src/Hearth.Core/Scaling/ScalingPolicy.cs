using System.Globalization;
using Hearth.Core.Endpoints;

namespace Hearth.Core.Scaling;

/// <summary>
/// The autoscaling policy: a pure function from an endpoint snapshot and the current time to a decision.
/// Active workers (Initializing, Idle, Running) are kept within <c>[WorkersMin, WorkersMax]</c>;
/// <c>QUEUE_DELAY</c> scales from zero on the first queued job and otherwise adds one worker at a time while the
/// oldest job waited longer than <c>ScalerValue</c> seconds; <c>REQUEST_COUNT</c> wants
/// <c>ceil((InQueue + InProgress) / ScalerValue)</c> workers. Low-priority jobs never cause a start. Idle workers
/// above the minimum stop after the idle timeout, oldest idle first, and only when no normal job is queued.
/// A decision starts or stops workers, never both.
/// </summary>
public static class ScalingPolicy
{
    /// <summary>Decides what to start or stop for one endpoint.</summary>
    /// <param name="snapshot">The endpoint's queue and workers.</param>
    /// <param name="now">The current time (from a <see cref="TimeProvider"/>), used for idle durations.</param>
    /// <returns>The decision; <see cref="ScalingDecision.None"/> when nothing should change.</returns>
    public static ScalingDecision Decide(EndpointSnapshot snapshot, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var spec = snapshot.Spec;
        var min = Math.Max(0, spec.WorkersMin);
        var max = Math.Max(min, spec.WorkersMax);
        var active = snapshot.Workers.Count(w => w.IsActive);

        var up = spec.ScalerType == ScalerType.RequestCount
            ? RequestCount(snapshot, active, min, max)
            : QueueDelay(snapshot, active, min, max);
        return up.IsNone ? IdleStops(snapshot, now, active, min) : up;
    }

    private static ScalingDecision QueueDelay(EndpointSnapshot s, int active, int min, int max)
    {
        if (active < min)
        {
            return Start(min - active, $"below minimum {min} ({active} active)");
        }

        if (active >= max || s.InQueue <= 0)
        {
            return ScalingDecision.None;
        }

        if (active == 0)
        {
            return Start(1, $"scale from zero: {s.InQueue} {(s.InQueue == 1 ? "job" : "jobs")} queued");
        }

        var threshold = ScalerValue(s.Spec);
        var waited = s.OldestWait.TotalSeconds;
        var warming = s.Workers.Any(w => w.State is WorkerState.Initializing or WorkerState.Idle);
        return waited > threshold && !warming
            ? Start(1, $"queue delay {Fmt(waited)} s > {Fmt(threshold)} s")
            : ScalingDecision.None;
    }

    private static ScalingDecision RequestCount(EndpointSnapshot s, int active, int min, int max)
    {
        var queued = Math.Max(0, s.InQueue);
        var running = Math.Max(0, s.InProgress);
        var per = ScalerValue(s.Spec);
        var want = Math.Ceiling((queued + (double)running) / per);
        var target = (int)Math.Clamp(want, min, max);
        if (target <= active)
        {
            return ScalingDecision.None;
        }

        var formula = $"want ceil(({queued} + {running}) / {Fmt(per)}) = {Fmt(want)} workers";
        var reason = want < min
            ? $"below minimum {min} ({active} active; {formula})"
            : want > max ? $"{formula}, capped at max {max}" : formula;
        return Start(target - active, reason);
    }

    private static ScalingDecision IdleStops(EndpointSnapshot s, DateTimeOffset now, int active, int min)
    {
        var spare = active - min;
        if (s.InQueue > 0 || spare <= 0)
        {
            return ScalingDecision.None;
        }

        var timeout = s.Spec.IdleTimeout;
        var expired = s.Workers
            .Where(w => w.State == WorkerState.Idle && now - w.Since >= timeout)
            .OrderBy(w => w.Since)
            .ThenBy(w => w.WorkerId, StringComparer.Ordinal)
            .Take(spare)
            .ToList();
        if (expired.Count == 0)
        {
            return ScalingDecision.None;
        }

        var longest = (now - expired[0].Since).TotalSeconds;
        var shortest = (now - expired[^1].Since).TotalSeconds;
        var limit = timeout.TotalSeconds;
        var reason = expired.Count == 1
            ? $"idle {Fmt(longest)} s {(longest > limit ? ">" : "=")} idle timeout {Fmt(limit)} s"
            : $"{expired.Count} workers idle {Fmt(shortest)}–{Fmt(longest)} s >= idle timeout {Fmt(limit)} s";
        return new ScalingDecision(0, [.. expired.Select(w => w.WorkerId)], reason);
    }

    private static ScalingDecision Start(int count, string reason) => new(count, [], reason);

    private static double ScalerValue(EndpointSpec spec) =>
        spec.ScalerValue > 0 && double.IsFinite(spec.ScalerValue) ? spec.ScalerValue : EndpointSpec.DefaultScalerValue;

    private static string Fmt(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);
}

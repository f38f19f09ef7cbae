using Hearth.Core.Endpoints;

namespace Hearth.Core.Scaling;

/// <summary>
/// Why an endpoint is or is not serving, in one word and one line, the same in every mode: <c>Throttled</c> (no
/// worker can be placed, and none runs), <c>Unhealthy</c> (its workers keep exiting at start), <c>Scaling</c> (workers
/// are starting), <c>Idle</c> (scaled to zero) or <c>Ready</c>. The first that holds wins, in that order.
/// </summary>
public static class EndpointCondition
{
    /// <summary>The endpoint's state and the reason a person reads (null when ready with nothing to say).</summary>
    /// <param name="spec">The endpoint.</param>
    /// <param name="workers">The states of its workers that count (not being stopped).</param>
    /// <param name="throttled">Why placement failed last, while it does.</param>
    /// <param name="crashes">Its crash history.</param>
    /// <param name="lastKill">Why its last runaway worker was killed, if one was.</param>
    /// <returns>The state and reason.</returns>
    public static (string State, string? Reason) Of(EndpointSpec spec, IReadOnlyCollection<WorkerState> workers,
        string? throttled, CrashLoop crashes, string? lastKill)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(workers);
        ArgumentNullException.ThrowIfNull(crashes);
        return throttled is not null && workers.Count == 0 ? ("Throttled", throttled)
            : crashes.Unhealthy is { } unhealthy ? ("Unhealthy", unhealthy)
            : workers.Contains(WorkerState.Initializing) ? ("Scaling", "workers are starting")
            : workers.Count == 0 ? ("Idle", $"scaled to zero (workers {spec.WorkersMin}..{spec.WorkersMax}); "
                + "the next job starts one")
            : ("Ready", lastKill is null ? null : $"last kill: {lastKill}");
    }
}

namespace Hearth.Core.Scaling;

/// <summary>
/// The state machine of one worker as the scheduler observes it through the store, the same for local processes and
/// node agents: <see cref="WorkerState.Initializing"/> until its first job-take (or heartbeat), then
/// <see cref="WorkerState.Running"/> while it holds a job and <see cref="WorkerState.Idle"/> otherwise, and
/// <see cref="WorkerState.Unhealthy"/> once it has not been seen for longer than the unseen limit. <c>Since</c> moves
/// only when the state changes, so an idle worker's idle time is measured from when it became idle.
/// </summary>
/// <param name="State">The state last observed.</param>
/// <param name="Since">When the worker entered <paramref name="State"/>.</param>
public readonly record struct ObservedWorker(WorkerState State, DateTimeOffset Since)
{
    /// <summary>A worker just started (or decided) at <paramref name="at"/>: initializing until it is seen.</summary>
    /// <param name="at">When its start was decided or it was launched.</param>
    /// <returns>The worker in <see cref="WorkerState.Initializing"/> since <paramref name="at"/>.</returns>
    public static ObservedWorker Starting(DateTimeOffset at) => new(WorkerState.Initializing, at);

    /// <summary>The state the store's record of the worker shows now.</summary>
    /// <param name="lastSeenMs">When the store last saw the worker (Unix ms), or null if never.</param>
    /// <param name="holding">Whether it holds a job now.</param>
    /// <param name="now">The current time.</param>
    /// <param name="unseenLimit">How long a worker may go unseen before it counts as unhealthy.</param>
    /// <returns>The next observation: this one when nothing changed, else the new state since <paramref
    /// name="now"/>.</returns>
    public ObservedWorker Observe(long? lastSeenMs, bool holding, DateTimeOffset now, TimeSpan unseenLimit)
    {
        var next = lastSeenMs is not { } seen ? State
            : now - DateTimeOffset.FromUnixTimeMilliseconds(seen) > unseenLimit ? WorkerState.Unhealthy
            : holding ? WorkerState.Running : WorkerState.Idle;
        return next == State ? this : new ObservedWorker(next, now);
    }
}

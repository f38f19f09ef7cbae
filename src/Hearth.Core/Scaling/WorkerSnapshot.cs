namespace Hearth.Core.Scaling;

/// <summary>One worker as the scaler sees it at a point in time.</summary>
/// <param name="WorkerId">The worker's id (<c>RUNPOD_POD_ID</c>).</param>
/// <param name="State">Its current state.</param>
/// <param name="Since">When it entered <paramref name="State"/>; for <see cref="WorkerState.Idle"/>, idle
/// since.</param>
public sealed record WorkerSnapshot(string WorkerId, WorkerState State, DateTimeOffset Since)
{
    /// <summary>True for the states that count toward the worker total: Initializing, Idle and Running.</summary>
    public bool IsActive => State is WorkerState.Initializing or WorkerState.Idle or WorkerState.Running;
}

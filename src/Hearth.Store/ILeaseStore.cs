using Hearth.Store.Jobs;

namespace Hearth.Store;

/// <summary>What workers do under a lease: take, heartbeat, progress, stream, complete, release, stop signals. Part of
/// <see cref="IHearthStore"/>.</summary>
public interface ILeaseStore
{
    /// <summary>Leases up to <paramref name="max"/> queued jobs (normal before low priority) to a worker.</summary>
    Task<IReadOnlyList<TakenJob>> TakeAsync(
        string endpoint, string workerId, int max, long nowMs, long leaseMs,
        CancellationToken cancellationToken = default);

    /// <summary>Records the final result from the current lease holder; refused (and nothing changes)
    /// otherwise.</summary>
    Task<CompleteResult> CompleteAsync(
        string endpoint, JobCompletion completion, CancellationToken cancellationToken = default);

    /// <summary>
    /// One worker's final results, each checked and applied as <see cref="CompleteAsync"/> would, and then up to
    /// <paramref name="takeMax"/> more jobs leased to it (none for 0, nor when every result was refused) — all in one
    /// store call. The outcomes are in the order of <paramref name="completions"/>; every completion must name
    /// <paramref name="workerId"/>.
    /// </summary>
    Task<CompletedAndTaken> CompleteAllAsync(
        string endpoint, string workerId, IReadOnlyList<JobCompletion> completions, int takeMax, long nowMs,
        long leaseMs, CancellationToken cancellationToken = default);

    /// <summary>The lease holder hands an unfinished job back (a draining worker); it is requeued at the front without
    /// counting a lost worker.</summary>
    Task<HolderCheck> ReleaseAsync(
        string endpoint, string jobId, string workerId, CancellationToken cancellationToken = default);

    /// <summary>Stores a progress output for a running job, from its lease holder only.</summary>
    Task<HolderCheck> ProgressAsync(
        string endpoint, string jobId, string workerId, string outputJson,
        CancellationToken cancellationToken = default);

    /// <summary>Appends one stream chunk (raw JSON) for a running job, from its lease holder only.</summary>
    Task<HolderCheck> AppendStreamAsync(
        string endpoint, string jobId, string workerId, string chunkJson,
        CancellationToken cancellationToken = default);

    /// <summary>Renews the leases the worker still holds among <paramref name="jobIds"/>; returns the ids it must
    /// stop.</summary>
    Task<HeartbeatResult> HeartbeatAsync(
        string endpoint, string workerId, IReadOnlyList<string> jobIds, long nowMs, long leaseMs,
        CancellationToken cancellationToken = default);

    /// <summary>Returns and clears the stop signals addressed to a worker (jobs cancelled or timed out while it ran
    /// them).</summary>
    Task<IReadOnlyList<StopOrder>> TakeStopSignalsAsync(
        string endpoint, string workerId, CancellationToken cancellationToken = default);

    /// <summary>
    /// The worker's process was seen to end while it held jobs: each is lost at once, as when its lease expires (back
    /// to the front of the queue, or FAILED past <paramref name="maxWorkerLost"/> losses, <paramref name="how"/> in
    /// its error). Returns what happened as a sweep would (requeued, finalized).
    /// </summary>
    Task<SweepResult> LoseWorkerAsync(
        string endpoint, string workerId, long nowMs, int maxWorkerLost, string how,
        CancellationToken cancellationToken = default);

    /// <summary>
    /// Marks a worker retired at <paramref name="nowMs"/> (it asked to stop with <c>stopPod</c>, and its process
    /// exits): it is handed no more jobs. A take under its id at least <see cref="RedisHearthStore.RestartQuietMs"/>
    /// later comes from a new process with the same id (a restart, as Runpod restarts a pod under its id) and is
    /// served again.
    /// </summary>
    Task RetireWorkerAsync(
        string endpoint, string workerId, long nowMs, CancellationToken cancellationToken = default);
}

using Hearth.Store.Jobs;

namespace Hearth.Store;

/// <summary>
/// Every fact Hearth keeps lives behind this interface: jobs, leases, results, stream chunks, workers.
/// One implementation, <see cref="RedisHearthStore"/>, speaks the Redis protocol to embedded Garnet or an
/// external Redis; each operation is one atomic Lua script over keys of a single endpoint.
/// All times are Unix milliseconds supplied by the caller's <see cref="TimeProvider"/>, never the store's clock.
/// </summary>
public interface IHearthStore
{
    /// <summary>Writes a new job and enqueues it atomically. Returns false when the id already exists.</summary>
    Task<bool> SubmitAsync(string endpoint, NewJob job, CancellationToken cancellationToken = default);

    /// <summary>
    /// Writes a new job unless its <see cref="NewJob.Idempotency"/> key was used within its window: then the earlier job
    /// is returned (<see cref="SubmitOutcome.Replayed"/>, same body) or the submit is refused (<see cref="SubmitOutcome.KeyReused"/>).
    /// </summary>
    Task<SubmitResult> SubmitOnceAsync(string endpoint, NewJob job, CancellationToken cancellationToken = default) =>
        SubmitOnceAsync(endpoint, job, visible: null, cancellationToken);

    /// <summary>
    /// <see cref="SubmitOnceAsync(string, NewJob, CancellationToken)"/>, calling <paramref name="visible"/> as soon as a
    /// created job can be taken, which may be before it is durable: a worker can start it while the store is still
    /// committing it. The returned task completes only once the job is durable, so a job a client is told was accepted
    /// is never lost; if the store crashes in between, the client was told nothing and the job may have started.
    /// </summary>
    Task<SubmitResult> SubmitOnceAsync(string endpoint, NewJob job, Action? visible, CancellationToken cancellationToken = default);

    /// <summary>Leases up to <paramref name="max"/> queued jobs (normal before low priority) to a worker.</summary>
    Task<IReadOnlyList<TakenJob>> TakeAsync(string endpoint, string workerId, int max, long nowMs, long leaseMs, CancellationToken cancellationToken = default);

    /// <summary>Records the final result from the current lease holder; refused (and nothing changes) otherwise.</summary>
    Task<CompleteResult> CompleteAsync(string endpoint, JobCompletion completion, CancellationToken cancellationToken = default);

    /// <summary>The lease holder hands an unfinished job back (a draining worker); it is requeued at the front without counting a lost worker.</summary>
    Task<HolderCheck> ReleaseAsync(string endpoint, string jobId, string workerId, CancellationToken cancellationToken = default);

    /// <summary>Stores a progress output for a running job, from its lease holder only.</summary>
    Task<HolderCheck> ProgressAsync(string endpoint, string jobId, string workerId, string outputJson, CancellationToken cancellationToken = default);

    /// <summary>Appends one stream chunk (raw JSON) for a running job, from its lease holder only.</summary>
    Task<HolderCheck> AppendStreamAsync(string endpoint, string jobId, string workerId, string chunkJson, CancellationToken cancellationToken = default);

    /// <summary>Returns the chunks not yet delivered by an earlier call and advances the cursor.</summary>
    Task<StreamRead?> ReadStreamAsync(string endpoint, string jobId, CancellationToken cancellationToken = default);

    /// <summary>Renews the leases the worker still holds among <paramref name="jobIds"/>; returns the ids it must stop.</summary>
    Task<HeartbeatResult> HeartbeatAsync(string endpoint, string workerId, IReadOnlyList<string> jobIds, long nowMs, long leaseMs, CancellationToken cancellationToken = default);

    /// <summary>Returns and clears the stop signals addressed to a worker (jobs cancelled or timed out while it ran them).</summary>
    Task<IReadOnlyList<string>> TakeStopSignalsAsync(string endpoint, string workerId, CancellationToken cancellationToken = default);

    /// <summary>Reads one job, or null when it does not exist (never submitted, or deleted by TTL or retention).</summary>
    Task<JobSnapshot?> GetAsync(string endpoint, string jobId, CancellationToken cancellationToken = default);

    /// <summary>Cancels a queued or running job. A job already final is left as it is.</summary>
    Task<TransitionResult> CancelAsync(string endpoint, string jobId, long nowMs, CancellationToken cancellationToken = default);

    /// <summary>Requeues a FAILED or TIMED_OUT job under the same id, clearing its previous result.</summary>
    Task<TransitionResult> RetryAsync(string endpoint, string jobId, long nowMs, CancellationToken cancellationToken = default);

    /// <summary>Cancels every queued (not running) job (<c>CANCELLED</c>, reason <c>purged</c>); returns their ids.</summary>
    Task<IReadOnlyList<string>> PurgeQueueAsync(string endpoint, long nowMs, CancellationToken cancellationToken = default);

    /// <summary>Applies lease expiry, execution timeouts, TTL and retention deadlines that are due at <paramref name="nowMs"/>.</summary>
    Task<SweepResult> SweepAsync(string endpoint, long nowMs, SweepLimits limits, CancellationToken cancellationToken = default);

    /// <summary>Job and worker counters for <c>/health</c>.</summary>
    Task<EndpointCounters> CountAsync(string endpoint, long nowMs, long workerSeenWithinMs, CancellationToken cancellationToken = default);

    /// <summary>Marks a worker retired (it asked to stop with <c>stopPod</c>); retired workers are handed no more jobs.</summary>
    Task RetireWorkerAsync(string endpoint, string workerId, CancellationToken cancellationToken = default);

    /// <summary>What the scheduler decides from: queues, oldest normal job, in-progress count, workers seen and what they hold.</summary>
    Task<EndpointView> ViewAsync(string endpoint, CancellationToken cancellationToken = default);

    /// <summary>
    /// Acquires or renews the named leadership for <paramref name="owner"/> for <paramref name="lease"/>. Returns the fencing
    /// epoch (it grows with every change of leader) while this owner leads, or 0 when another does.
    /// </summary>
    Task<long> TryLeadAsync(string role, string owner, TimeSpan lease, CancellationToken cancellationToken = default);

    /// <summary>Journals a step result in the job's session, from the job's lease holder only (first write wins).</summary>
    Task<StepWrite> PutStepAsync(string endpoint, string jobId, string workerId, string stepKey, string valueJson, long nowMs, CancellationToken cancellationToken = default);

    /// <summary>The journal of the job's session (step key → result JSON, in write order), for its lease holder; null when the caller does not hold it.</summary>
    Task<IReadOnlyList<KeyValuePair<string, string>>?> GetStepsAsync(string endpoint, string jobId, string workerId, CancellationToken cancellationToken = default);

    /// <summary>Reads a value of the job's session state, for its lease holder only.</summary>
    Task<StateRead> GetStateAsync(string endpoint, string jobId, string workerId, string key, CancellationToken cancellationToken = default);

    /// <summary>Sets (or, with a null value, deletes) a value of the job's session state, for its lease holder only.</summary>
    Task<StateWrite> PutStateAsync(string endpoint, string jobId, string workerId, string key, string? valueJson, long nowMs, CancellationToken cancellationToken = default);

    /// <summary>The endpoint's named sessions, soonest expiry first, at most <paramref name="max"/>.</summary>
    Task<IReadOnlyList<SessionSummary>> ListSessionsAsync(string endpoint, int max, CancellationToken cancellationToken = default);

    /// <summary>One session with its journal and state (values cut to <paramref name="previewBytes"/>), or null when unknown.</summary>
    Task<SessionDetail?> GetSessionAsync(string endpoint, string sessionId, int previewBytes, CancellationToken cancellationToken = default);

    /// <summary>
    /// The endpoint's newest jobs first, from a capped index (<see cref="RedisHearthStore.RecentJobsCap"/>), optionally only
    /// those in <paramref name="status"/>; at most <paramref name="limit"/>.
    /// </summary>
    Task<IReadOnlyList<JobSummary>> RecentJobsAsync(string endpoint, string? status, int limit, CancellationToken cancellationToken = default);

    /// <summary>One job with its payload and output, or null when it does not exist.</summary>
    Task<JobDetail?> GetDetailAsync(string endpoint, string jobId, CancellationToken cancellationToken = default);

    /// <summary>Pops up to <paramref name="max"/> jobs whose final state has a webhook to deliver.</summary>
    Task<IReadOnlyList<string>> TakeWebhookOutboxAsync(string endpoint, int max, CancellationToken cancellationToken = default);
}

using Hearth.Store.Jobs;

namespace Hearth.Store;

/// <summary>Jobs as clients see them: submit, read, cancel, retry, purge, stream chunks, recent jobs. Part of <see
/// cref="IHearthStore"/>.</summary>
public interface IJobStore
{
    /// <summary>Writes a new job and enqueues it atomically. Returns false when the id already exists.</summary>
    Task<bool> SubmitAsync(string endpoint, NewJob job, CancellationToken cancellationToken = default);

    /// <summary>
    /// Writes a new job unless its <see cref="NewJob.Idempotency"/> key was used within its window: then the earlier
    /// job
    /// is returned (<see cref="SubmitOutcome.Replayed"/>, same body) or the submit is refused (<see
    /// cref="SubmitOutcome.KeyReused"/>).
    /// </summary>
    Task<SubmitResult> SubmitOnceAsync(string endpoint, NewJob job, CancellationToken cancellationToken = default) =>
        SubmitOnceAsync(endpoint, job, visible: null, cancellationToken);

    /// <summary>
    /// <see cref="SubmitOnceAsync(string, NewJob, CancellationToken)"/>, calling <paramref name="visible"/> as soon as
    /// a
    /// created job can be taken, which may be before it is durable: a worker can start it while the store is still
    /// committing it. The returned task completes only once the job is durable, so a job a client is told was accepted
    /// is never lost; if the store crashes in between, the client was told nothing and the job may have started.
    /// </summary>
    Task<SubmitResult> SubmitOnceAsync(
        string endpoint, NewJob job, Action? visible, CancellationToken cancellationToken = default);

    /// <summary>
    /// Submits several jobs of one endpoint, each as <see cref="SubmitOnceAsync(string, NewJob, Action?,
    /// CancellationToken)"/> (its own atomic script, its own idempotency), with one durable wait for them all; results
    /// in order. <paramref name="visible"/> is called once when any was created. Every result is durable when the task
    /// completes. The default submits them one by one.
    /// </summary>
    async Task<IReadOnlyList<SubmitResult>> SubmitManyAsync(
        string endpoint, IReadOnlyList<NewJob> jobs, Action? visible, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        var results = new List<SubmitResult>(jobs.Count);
        foreach (var job in jobs)
        {
            results.Add(await SubmitOnceAsync(endpoint, job, visible, cancellationToken).ConfigureAwait(false));
        }

        return results;
    }

    /// <summary>Returns the chunks not yet delivered by an earlier call and advances the cursor.</summary>
    Task<StreamRead?> ReadStreamAsync(string endpoint, string jobId, CancellationToken cancellationToken = default);

    /// <summary>Reads one job, or null when it does not exist (never submitted, or deleted by TTL or
    /// retention).</summary>
    Task<JobSnapshot?> GetAsync(string endpoint, string jobId, CancellationToken cancellationToken = default);

    /// <summary>Cancels a queued or running job. A job already final is left as it is.</summary>
    Task<TransitionResult> CancelAsync(
        string endpoint, string jobId, long nowMs, CancellationToken cancellationToken = default);

    /// <summary>Requeues a FAILED or TIMED_OUT job under the same id, clearing its previous result.</summary>
    Task<TransitionResult> RetryAsync(
        string endpoint, string jobId, long nowMs, CancellationToken cancellationToken = default);

    /// <summary>Cancels every queued (not running) job (<c>CANCELLED</c>, reason <c>purged</c>); returns their
    /// ids.</summary>
    Task<IReadOnlyList<string>> PurgeQueueAsync(
        string endpoint, long nowMs, CancellationToken cancellationToken = default);

    /// <summary>
    /// The endpoint's newest jobs first, from a capped index (<see cref="RedisHearthStore.RecentJobsCap"/>),
    /// optionally only
    /// those in <paramref name="status"/>; at most <paramref name="limit"/>.
    /// </summary>
    Task<IReadOnlyList<JobSummary>> RecentJobsAsync(
        string endpoint, string? status, int limit, CancellationToken cancellationToken = default);

    /// <summary>One job with its payload and output, or null when it does not exist.</summary>
    Task<JobDetail?> GetDetailAsync(string endpoint, string jobId, CancellationToken cancellationToken = default);
}

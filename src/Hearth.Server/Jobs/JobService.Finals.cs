using Hearth.Store.Jobs;

namespace Hearth.Server.Jobs;

/// <summary>The ends of the lifecycle: results, cancel, retry, purge, the sweep, and the final-state hook.</summary>
public sealed partial class JobService
{
    /// <summary>
    /// Records a worker's final result (refused unless it holds the job's lease) and, when accepted, runs
    /// <see cref="Finished"/>. With <paramref name="retireWorker"/> (runpod-python's <c>stopPod</c>: the worker exits
    /// after this job) the worker is handed nothing more, before anyone learns the job is done.
    /// </summary>
    public async Task<CompleteResult> CompleteAsync(
        string endpoint, JobCompletion completion, bool retireWorker = false,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(completion);
        var result = await _store.CompleteAsync(endpoint, completion, cancellationToken).ConfigureAwait(false);
        if (result.Check == HolderCheck.Accepted)
        {
            if (retireWorker)
            {
                await _store.RetireWorkerAsync(endpoint, completion.WorkerId, completion.NowMs, cancellationToken)
                    .ConfigureAwait(false);
            }

            Finished(endpoint, JobEnd.Done, [completion.JobId], [result.Final]);
        }

        return result;
    }

    /// <summary>
    /// Several final results of one worker at once, each checked and applied as <see cref="CompleteAsync"/> would,
    /// then up to <paramref name="next"/> more jobs leased to it without waiting (<c>?next=n</c>) — one store call in
    /// all. The outcomes are in the order of <paramref name="completions"/>. <paramref name="cancellationToken"/> is
    /// the worker's connection: when it hung up, the jobs granted to it go back to the queue and none is returned.
    /// </summary>
    public async Task<(IReadOnlyList<CompleteResult> Outcomes, IReadOnlyList<TakenJob> Next)> CompleteAllAsync(
        string endpoint, string workerId, IReadOnlyList<JobCompletion> completions, int next = 0,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(completions);

        // Not cancelled by a hang-up: results and a grant the store made are applied whole, never half.
        var done = await _store.CompleteAllAsync(endpoint, workerId, completions,
            Math.Clamp(next, 0, _options.MaxTakeBatch), NowMs, LeaseMs, CancellationToken.None).ConfigureAwait(false);
        var accepted = Enumerable.Range(0, done.Results.Count)
            .Where(i => done.Results[i].Check == HolderCheck.Accepted)
            .ToList();
        Finished(endpoint, JobEnd.Done,
            [.. accepted.Select(i => completions[i].JobId)], [.. accepted.Select(i => done.Results[i].Final)]);
        return (done.Results, await GrantedAsync(endpoint, workerId, done.Taken, cancellationToken)
            .ConfigureAwait(false));
    }

    /// <summary>Cancels a queued or running job; a job already final is left as it is.</summary>
    public async Task<TransitionResult> CancelAsync(
        string endpoint, string jobId, CancellationToken cancellationToken = default)
    {
        var result = await _store.CancelAsync(endpoint, jobId, NowMs, cancellationToken).ConfigureAwait(false);
        if (result.Changed)
        {
            Finished(endpoint, JobEnd.Cancelled, [jobId]);
        }

        return result;
    }

    /// <summary>Requeues a FAILED or TIMED_OUT job under the same id.</summary>
    public async Task<TransitionResult> RetryAsync(
        string endpoint, string jobId, CancellationToken cancellationToken = default)
    {
        var result = await _store.RetryAsync(endpoint, jobId, NowMs, cancellationToken).ConfigureAwait(false);
        if (result.Changed)
        {
            Requeued(endpoint, [jobId], holdersLost: false);
        }

        return result;
    }

    /// <summary>
    /// Cancels every queued job (running ones are untouched) and runs <see cref="Finished"/> for each, as a cancel
    /// would: their waiters are woken and see <c>CANCELLED</c>, their webhooks are delivered, their job spans close and
    /// <c>hearth.jobs.finished</c> counts them as <c>CANCELLED</c> (the store keeps <c>purged</c> as the reason).
    /// Returns how many.
    /// </summary>
    public async Task<int> PurgeAsync(string endpoint, CancellationToken cancellationToken = default)
    {
        var purged = await _store.PurgeQueueAsync(endpoint, NowMs, cancellationToken).ConfigureAwait(false);
        Finished(endpoint, JobEnd.Purged, purged);
        return purged.Count;
    }

    /// <summary>Applies what a store sweep did: requeues after a lost worker, deadlines, TTL and retention.</summary>
    internal void Swept(string endpoint, SweepResult result)
    {
        Requeued(endpoint, result.Requeued, holdersLost: true);
        Finished(endpoint, JobEnd.Deadline, result.Finalized);
        Finished(endpoint, JobEnd.Expired, result.Expired);

        // The end of a finished job's retention is no final state: anyone still watching re-reads and finds it gone.
        foreach (var id in result.Deleted.Except(result.Expired, StringComparer.Ordinal))
        {
            _signals.JobChanged(endpoint, id);
        }
    }

    /// <summary>
    /// The one final-state hook: every path by which jobs end (<see cref="JobEnd"/>) calls it once, after the store
    /// recorded the end, and it runs every in-process side effect of it:
    /// <list type="bullet">
    /// <item>workers long-polling job-stop are woken when a holder may still run the job (cancel, deadline);</item>
    /// <item><c>/runsync</c>, <c>/status-sync</c> and <c>/stream</c> waiting on the job are woken, here and on the
    /// other replicas; they re-read it and answer its final status, or 404 once it is gone (TTL);</item>
    /// <item>its job and queue.wait spans are closed and <c>hearth.jobs.finished</c> counts it, from the stored job
    /// (<see cref="Observability.TraceRecorder"/>); a job that TTL deleted has no final status to count, so only its
    /// live span is ended, as an error.</item>
    /// </list>
    /// Its webhook is not enqueued here: the store put the job in the endpoint's webhook outbox atomically with its
    /// final state (Lua <c>finalize</c>), so the delivery survives this process dying right after, happens once even
    /// with several replicas, and <see cref="JobSweeper"/> moves it to delivery on its next tick. TTL deletes the job
    /// with its webhook: nothing is delivered for it.
    /// </summary>
    /// <param name="endpoint">The jobs' endpoint.</param>
    /// <param name="end">How they ended.</param>
    /// <param name="jobIds">The jobs; nothing happens for none.</param>
    /// <param name="finals">
    /// For <see cref="JobEnd.Done"/>: each job as the store returned it, so it is not read again.
    /// </param>
    internal void Finished(
        string endpoint, JobEnd end, IReadOnlyList<string> jobIds, IReadOnlyList<JobSnapshot?>? finals = null)
    {
        if (jobIds.Count == 0)
        {
            return;
        }

        if (end is JobEnd.Cancelled or JobEnd.Deadline)
        {
            // Once for the batch: each job-stop long-poll re-reads its own worker's stop signals.
            _signals.StopRequested(endpoint);
        }

        for (var i = 0; i < jobIds.Count; i++)
        {
            _signals.JobChanged(endpoint, jobIds[i]);
            if (end == JobEnd.Expired)
            {
                _tracing?.Expired(endpoint, jobIds[i]);
            }
            else
            {
                _tracing?.Finalized(endpoint, jobIds[i], finals?[i]);
            }
        }
    }

    /// <summary>
    /// Jobs back in the queue (handed back, retried, or their worker lost): takers and the jobs' waiters are woken; a
    /// lost worker that still runs one is told to stop.
    /// </summary>
    private void Requeued(string endpoint, IReadOnlyList<string> jobIds, bool holdersLost)
    {
        if (jobIds.Count == 0)
        {
            return;
        }

        _signals.WorkAvailable(endpoint);
        if (holdersLost)
        {
            _signals.StopRequested(endpoint);
        }

        foreach (var id in jobIds)
        {
            _signals.JobChanged(endpoint, id);
        }
    }
}

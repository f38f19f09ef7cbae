using Hearth.Server.Hosting;
using Hearth.Store.Jobs;

namespace Hearth.Server.Jobs;

/// <summary>The worker side of the lifecycle: takes, hand-backs, heartbeats, stop signals, progress, streams.</summary>
public sealed partial class JobService
{
    /// <summary>
    /// Leases up to <paramref name="max"/> queued jobs (at most <see cref="HearthServerOptions.MaxTakeBatch"/>) to a
    /// worker. With <paramref name="wait"/> it long-polls up to <see cref="HearthServerOptions.LongPoll"/> for work
    /// (job-take); without, it answers at once (<c>?next=</c> on a result). <paramref name="cancellationToken"/> is the
    /// worker's connection: when it hangs up while the store grants it jobs, they are handed back at once rather than
    /// after a lease, and the answer is empty.
    /// </summary>
    public async Task<IReadOnlyList<TakenJob>> TakeAsync(
        string endpoint, string workerId, int max, bool wait, CancellationToken cancellationToken = default)
    {
        max = Math.Min(max, _options.MaxTakeBatch);
        var started = _time.GetTimestamp();
        var signal = _signals.Work(endpoint);
        while (true)
        {
            var next = signal.Next;

            // Not cancelled by a hang-up: a grant the store made is handed back below, never half-made.
            var taken = await _store.TakeAsync(endpoint, workerId, max, NowMs, LeaseMs, CancellationToken.None)
                .ConfigureAwait(false);
            var granted = await GrantedAsync(endpoint, workerId, taken, cancellationToken).ConfigureAwait(false);
            if (taken.Count > 0)
            {
                return granted;
            }

            if (taken is TakenJobs { ParkedAny: true })
            {
                next = signal.Next; // the wake-up sent for the bound worker is no news for this one
            }

            var left = wait ? _options.LongPoll - _time.GetElapsedTime(started) : TimeSpan.Zero;
            if (left <= TimeSpan.Zero
                || !await Waits.SignalOrTimeoutAsync(next, left, _time, cancellationToken).ConfigureAwait(false))
            {
                return [];
            }
        }
    }

    /// <summary>A draining worker hands back a job it will not finish; it is re-granted at once.</summary>
    public async Task<HolderCheck> ReleaseAsync(
        string endpoint, string jobId, string workerId, CancellationToken cancellationToken = default)
    {
        var check = await _store.ReleaseAsync(endpoint, jobId, workerId, cancellationToken).ConfigureAwait(false);
        if (check == HolderCheck.Accepted)
        {
            Requeued(endpoint, [jobId], holdersLost: false);
        }

        return check;
    }

    /// <summary>
    /// A worker's process was seen to end (it exited or was killed) while the store may still count it as holding
    /// jobs: each is lost at once, as when its lease expires, so it runs again elsewhere now rather than a lease
    /// later (or fails, past <see cref="HearthServerOptions.MaxWorkerLost"/>, with <paramref name="how"/> in its
    /// error).
    /// Returns how many jobs it held.
    /// </summary>
    public async Task<int> WorkerGoneAsync(
        string endpoint, string workerId, string how, CancellationToken cancellationToken = default)
    {
        var result = await _store.LoseWorkerAsync(endpoint, workerId, NowMs, _options.MaxWorkerLost, how,
            cancellationToken).ConfigureAwait(false);
        Swept(endpoint, result);
        return result.Requeued.Count + result.Finalized.Count;
    }

    /// <summary>Renews the worker's leases among <paramref name="jobIds"/>; answers those it must stop.</summary>
    public Task<HeartbeatResult> HeartbeatAsync(
        string endpoint, string workerId, IReadOnlyList<string> jobIds,
        CancellationToken cancellationToken = default) =>
        _store.HeartbeatAsync(endpoint, workerId, jobIds, NowMs, LeaseMs, cancellationToken);

    /// <summary>
    /// The jobs the worker must stop (cancelled, timed out, lost), waiting up to
    /// <see cref="HearthServerOptions.LongPoll"/> for one; empty when there is none by then.
    /// </summary>
    public async Task<IReadOnlyList<StopOrder>> WaitStopsAsync(
        string endpoint, string workerId, CancellationToken cancellationToken = default)
    {
        var started = _time.GetTimestamp();
        var signal = _signals.Stops(endpoint);
        while (true)
        {
            var next = signal.Next;
            var stops = await _store.TakeStopSignalsAsync(endpoint, workerId, cancellationToken).ConfigureAwait(false);
            var left = _options.LongPoll - _time.GetElapsedTime(started);
            if (stops.Count > 0 || left <= TimeSpan.Zero
                || !await Waits.SignalOrTimeoutAsync(next, left, _time, cancellationToken).ConfigureAwait(false))
            {
                return stops;
            }
        }
    }

    /// <summary>A progress output of a running job, from its lease holder only.</summary>
    public Task<HolderCheck> ProgressAsync(
        string endpoint, string jobId, string workerId, string outputJson,
        CancellationToken cancellationToken = default) =>
        _store.ProgressAsync(endpoint, jobId, workerId, outputJson, cancellationToken);

    /// <summary>Appends a stream chunk of a running job, from its lease holder only; wakes its readers.</summary>
    public async Task<HolderCheck> AppendStreamAsync(
        string endpoint, string jobId, string workerId, string chunkJson, CancellationToken cancellationToken = default)
    {
        var check = await _store.AppendStreamAsync(endpoint, jobId, workerId, chunkJson, cancellationToken)
            .ConfigureAwait(false);
        if (check == HolderCheck.Accepted)
        {
            _signals.JobChanged(endpoint, jobId);
        }

        return check;
    }

    /// <summary>
    /// What a take granted, as the worker gets it: a session's job set aside for its bound worker wakes that worker
    /// (it may be long-polling already); jobs granted to a worker that hung up meanwhile go back to the queue.
    /// </summary>
    private async Task<IReadOnlyList<TakenJob>> GrantedAsync(
        string endpoint, string workerId, IReadOnlyList<TakenJob> taken, CancellationToken cancellationToken)
    {
        if (taken is TakenJobs { ParkedAny: true })
        {
            // A session's job was set aside for its bound worker: wake it, it may be long-polling already.
            _signals.WorkAvailable(endpoint);
        }

        return taken.Count > 0 && cancellationToken.IsCancellationRequested
            ? await HandBackAsync(endpoint, workerId, taken).ConfigureAwait(false)
            : taken;
    }

    /// <summary>
    /// The worker hung up while the store granted it jobs: they go back to the queue now, not after a lease.
    /// </summary>
    private async Task<IReadOnlyList<TakenJob>> HandBackAsync(
        string endpoint, string workerId, IReadOnlyList<TakenJob> taken)
    {
        foreach (var job in taken)
        {
            // The worker's request is gone; the hand-back must still happen.
            await _store.ReleaseAsync(endpoint, job.Id, workerId, CancellationToken.None).ConfigureAwait(false);
        }

        Requeued(endpoint, [.. taken.Select(j => j.Id)], holdersLost: false);
        return [];
    }
}

using System.Diagnostics;

namespace Hearth.Worker;

public sealed partial class HearthWorker
{
    /// <summary>
    /// Heartbeats run on their own loop, never behind a busy handler. Each successful ping renews the leases of the
    /// jobs it listed; a job not renewed for one full lease is cancelled here, because the control plane has given it
    /// away.
    /// </summary>
    private async Task HeartbeatLoopAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(_options.PingInterval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                await BeatAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    /// <summary>One heartbeat and lease check; internal so tests can drive it.</summary>
    internal async Task BeatAsync(CancellationToken cancellationToken)
    {
        var jobs = _running.Values.ToArray();
        if (_options.PingUrl is not null)
        {
            var sentAt = _time.GetTimestamp();
            try
            {
                // A ping that hangs (a partition that drops packets) must not hold back the lease check below.
                using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                bounded.CancelAfter(_options.PingInterval);
                var (ok, stop) = await _protocol.PingAsync([.. jobs.Select(j => j.Id)], bounded.Token)
                    .ConfigureAwait(false);
                if (ok)
                {
                    foreach (var job in jobs.Where(j => !stop.Any(s => Applies(s, j))))
                    {
                        // Never back in time: a run granted after this ping was sent keeps its own start.
                        job.LeaseRenewedAt = Math.Max(job.LeaseRenewedAt, sentAt);
                    }

                    StopAll(stop, "the control plane asked to stop it (timed out, cancelled or given away)");
                }
            }
            catch (Exception e)
                when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                LogPingFailed(_logger, e.Message);
            }
        }

        foreach (var job in jobs)
        {
            if (_options.PingUrl is not null && _time.GetElapsedTime(job.LeaseRenewedAt) >= _options.Lease)
            {
                Stop(job, $"its lease was not renewed for {_options.Lease.TotalSeconds:0.#} s: the control plane has "
                    + "given it to another worker");
            }
        }
    }

    private async Task StopLoopAsync(CancellationToken cancellationToken)
    {
        // Nothing can be stopped before a job arrives, and stop orders wait in the store: the first take goes out
        // alone, which shortens a cold start (bench/cold-start.py).
        try
        {
            await _firstTakeAnswered.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return;
        }

        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var stops = await _stopRetry.Value.ExecuteAsync(
                    async token => await _protocol.PollStopsAsync(token).ConfigureAwait(false), cancellationToken)
                    .ConfigureAwait(false);
                StopAll(stops, "the control plane asked to stop it");
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    private void StopAll(IEnumerable<StopReceived> orders, string reason)
    {
        foreach (var order in orders)
        {
            if (_running.TryGetValue(order.JobId, out var job))
            {
                if (Applies(order, job))
                {
                    Stop(job, reason);
                }
                else
                {
                    LogStaleStop(_logger, order.JobId, order.Attempt ?? 0, job.Attempt ?? 0);
                }
            }
        }
    }

    /// <summary>Whether a stop order is for <paramref name="job"/>'s run: not when it stops an older attempt than the
    /// one running (an order read before this worker was granted the job again).</summary>
    private static bool Applies(StopReceived order, RunningJob job) =>
        order.JobId == job.Id
        && (order.Attempt is not ({ } stopped and > 0) || job.Attempt is not { } running || running <= stopped);

    /// <summary>When the parent (<c>hearth dev</c>) dies, stop: a worker without its supervisor would be an
    /// orphan.</summary>
    private async Task WatchParentAsync(int parentPid, CancellationTokenSource lifetime)
    {
        while (!lifetime.IsCancellationRequested)
        {
            await DelayAsync(TimeSpan.FromSeconds(1), lifetime.Token).ConfigureAwait(false);
            if (!IsAlive(parentPid))
            {
                LogParentGone(_logger, parentPid);
                await lifetime.CancelAsync().ConfigureAwait(false);
                return;
            }
        }
    }

    private static bool IsAlive(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}

using System.Security.Cryptography;

namespace Hearth.Scaling.Processes;

public sealed partial class WorkerPool
{
    // Loop-owned state: only RunAsync (and StopAsync, after the loop ended) touches it.
    private readonly Dictionary<string, DateTimeOffset> running = new(StringComparer.Ordinal);
    private readonly Dictionary<string, WorkerHandle> handles = new(StringComparer.Ordinal);
    private readonly List<Task> stopping = [];
    private int failures;
    private int quickExits;
    private int owedRestarts;
    private DateTimeOffset notBefore = DateTimeOffset.MinValue;
    private DateTimeOffset? wakeAt;
    private ITimer? wakeTimer;

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            await ReconcileAsync(cancellationToken).ConfigureAwait(false);
            await foreach (var signal in signals.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                if (signal is WorkerExited exit)
                {
                    OnWorkerExited(exit);
                }
                else if (signal is RetireRequest retire)
                {
                    OnRetire(retire);
                }
                else if (signal is Signal.Wake)
                {
                    wakeAt = null; // that timer has fired; the same moment may need a new one
                }

                await ReconcileAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // StopAsync ended the loop; it stops the workers.
        }
    }

    private async Task ReconcileAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        MarkStable(now);
        ScaleDown();
        if (running.Count < desired && now >= notBefore)
        {
            while (running.Count < desired && await TryStartAsync(cancellationToken).ConfigureAwait(false))
            {
            }
        }

        Publish();
        ScheduleWake(time.GetUtcNow());
    }

    private async Task<bool> TryStartAsync(CancellationToken cancellationToken)
    {
        var workerId = $"{Endpoint}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}";
        WorkerHandle handle;
        try
        {
            handle = await provider.StartAsync(launchFactory(workerId), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Log.StartFailed(logger, Endpoint, workerId, e);
            LaunchFailed?.Invoke(this, workerId);
            RecordFailure(time.GetUtcNow(), -1, [e.Message], $"worker {workerId} could not be started: {e.Message}");
            return false;
        }

        running[workerId] = time.GetUtcNow();
        handles[workerId] = handle;

        // Published before WorkerStarted, so a subscriber that reads Workers already sees it.
        Publish();
        if (owedRestarts > 0)
        {
            owedRestarts--;
            Interlocked.Increment(ref restarts);
        }

        Log.Started(logger, Endpoint, workerId);
        try
        {
            WorkerStarted?.Invoke(this, handle);
        }
#pragma warning disable CA1031 // A subscriber's bug must not stop the pool.
        catch (Exception e)
#pragma warning restore CA1031
        {
            Log.SubscriberFailed(logger, Endpoint, workerId, e);
        }

        return true;
    }

    private void OnWorkerExited(WorkerExited exit)
    {
        handles.Remove(exit.WorkerId);
        if (!running.Remove(exit.WorkerId, out var startedAt) || exit.Requested)
        {
            // Not ours, one we are stopping, or one somebody else stopped: no crash; reconciling replaces it if needed.
            return;
        }

        var now = time.GetUtcNow();
        var uptime = now - startedAt;
        owedRestarts++;
        if (uptime >= options.StableAfter)
        {
            failures = 0;
            quickExits = 0;
        }

        var reason = $"worker {exit.WorkerId} exited with code {exit.ExitCode} after {uptime.TotalSeconds:0.#} s";
        RecordFailure(now, exit.ExitCode, exit.LastStderrLines, reason, quick: uptime < options.StableAfter);
        Log.Crashed(logger, Endpoint, exit.WorkerId, exit.ExitCode, uptime, notBefore - now);
    }

    private void OnRetire(RetireRequest request)
    {
        if (!running.Remove(request.WorkerId))
        {
            return;
        }

        handles.Remove(request.WorkerId);
        if (request.Replace)
        {
            // Killed, not drained; the desired count stands, so reconciling starts its replacement.
            stopping.Add(provider.StopAsync(request.WorkerId, TimeSpan.Zero));
            return;
        }

        desired = Math.Max(0, desired - 1);
        stopping.Add(StopSurplusAsync(request.WorkerId));
    }

    private sealed record RetireRequest(string WorkerId, bool Replace);

    private void ScaleDown()
    {
        stopping.RemoveAll(task => task.IsCompleted);
        while (running.Count > desired)
        {
            // The newest worker goes first: it is the least likely to hold a warm model or a running job.
            var workerId = running.MaxBy(pair => pair.Value).Key;
            running.Remove(workerId);
            handles.Remove(workerId);
            stopping.Add(StopSurplusAsync(workerId));
        }
    }

    private async Task StopSurplusAsync(string workerId)
    {
        try
        {
            await provider.StopAsync(workerId, options.StopDrain).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Owned and awaited by StopAsync; a failure is logged rather than lost.
        catch (Exception e)
#pragma warning restore CA1031
        {
            Log.StopFailed(logger, Endpoint, e);
        }
    }

    private void ScheduleWake(DateTimeOffset now)
    {
        DateTimeOffset? next = running.Count < desired && notBefore > now ? notBefore : null;
        if (failures > 0 || quickExits > 0)
        {
            foreach (var stableAt in running.Values.Select(startedAt => startedAt + options.StableAfter).Where(at => at > now))
            {
                next = next is { } at && at <= stableAt ? at : stableAt;
            }
        }

        if (next == wakeAt)
        {
            return;
        }

        wakeTimer?.Dispose();
        wakeTimer = null;
        wakeAt = next;
        if (next is { } wake)
        {
            wakeTimer = time.CreateTimer(_ => signals.Writer.TryWrite(Signal.Wake), null, wake - now, Timeout.InfiniteTimeSpan);
        }
    }

    private void Publish() => workers = [.. handles.Values];
}

namespace Hearth.Scaling.Processes;

/// <summary>The crash bookkeeping of <see cref="WorkerPool"/>: backoff, quick exits and health.</summary>
public sealed partial class WorkerPool
{
    private void RecordFailure(DateTimeOffset now, int exitCode, IReadOnlyList<string> stderr, string what, bool quick = true)
    {
        failures++;
        quickExits += quick ? 1 : 0;
        notBefore = now + RestartBackoff.Delay(failures, options);
        if (quickExits < options.UnhealthyAfter)
        {
            return;
        }

        var reason = $"{quickExits} workers in a row exited within {options.StableAfter.TotalSeconds:0.#} s of starting; "
            + $"the last {what}. Last stderr lines:\n{string.Join('\n', stderr)}";
        state = new PoolState(PoolHealth.Unhealthy, reason, exitCode, stderr);
        Log.Unhealthy(logger, Endpoint, reason);
    }

    private void MarkStable(DateTimeOffset now)
    {
        if ((failures == 0 && quickExits == 0) || !running.Values.Any(startedAt => now - startedAt >= options.StableAfter))
        {
            return;
        }

        failures = 0;
        quickExits = 0;
        if (state.Health != PoolHealth.Healthy)
        {
            state = PoolState.Healthy;
            Log.Recovered(logger, Endpoint);
        }
    }
}

namespace Hearth.Scaling.Processes;

/// <summary>Whether a <see cref="WorkerPool"/> manages to keep its workers up.</summary>
public enum PoolHealth
{
    /// <summary>Workers start and stay up (or no worker has crashed repeatedly).</summary>
    Healthy,

    /// <summary>Workers keep exiting soon after they start; the pool still retries with capped backoff.</summary>
    Unhealthy,
}

/// <summary>The health of a <see cref="WorkerPool"/> and, when unhealthy, why.</summary>
/// <param name="Health">Healthy or unhealthy.</param>
/// <param name="Reason">What went wrong, with the exit code and the last stderr lines; <see langword="null"/> when healthy.</param>
/// <param name="ExitCode">The exit code of the last crashed worker, when unhealthy because of crashes.</param>
/// <param name="LastStderrLines">The last stderr lines of the last crashed worker; empty when healthy.</param>
public sealed record PoolState(PoolHealth Health, string? Reason, int? ExitCode, IReadOnlyList<string> LastStderrLines)
{
    /// <summary>The state of a pool whose workers are fine.</summary>
    public static PoolState Healthy { get; } = new(PoolHealth.Healthy, null, null, []);
}

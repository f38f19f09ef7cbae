namespace Hearth.Scaling.Processes;

/// <summary>Settings of <see cref="WorkerPool"/>'s restart policy.</summary>
public sealed class WorkerPoolOptions
{
    /// <summary>The wait before the first restart of a crashed worker; each further crash doubles it. Default: 1 s.</summary>
    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait between restarts. Default: 30 s.</summary>
    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long a worker must stay up to count as up: that resets the backoff and the pool's health; an exit before it
    /// counts as a quick exit. Default: 60 s.
    /// </summary>
    public TimeSpan StableAfter { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How many quick exits in a row turn the pool <see cref="PoolHealth.Unhealthy"/>. Default: 3.</summary>
    public int UnhealthyAfter { get; init; } = 3;

    /// <summary>The drain a worker gets when the pool scales down or stops. Default: 30 s.</summary>
    public TimeSpan StopDrain { get; init; } = TimeSpan.FromSeconds(30);
}

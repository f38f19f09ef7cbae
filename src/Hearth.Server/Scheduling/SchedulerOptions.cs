using Hearth.Core.Scaling;

namespace Hearth.Server.Scheduling;

/// <summary>How the <see cref="Scheduler"/> runs; the hosts (<c>dev</c>, <c>serve</c>) fill it in.</summary>
public sealed record SchedulerOptions
{
    /// <summary>
    /// Who leads: one owner per control plane. <c>dev</c> uses one per host and data directory, so a restarted
    /// <c>dev</c> leads again at once; <c>serve</c> uses its replica id.
    /// </summary>
    public required string Owner { get; init; }

    /// <summary>How long a worker may go unseen by the store before it counts as unhealthy. Default: 20 s.</summary>
    public TimeSpan UnseenLimit { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>
    /// Start <c>max(min, 1)</c> workers per endpoint when this control plane first leads, even at min 0 (dev: the
    /// first request should not pay a cold start); idle ones above the minimum stop after the idle timeout.
    /// </summary>
    public bool WarmStart { get; init; }

    /// <summary>Whether GPU endpoints run on CPU (dev on a machine with no GPU and none declared).</summary>
    public bool CpuFallback { get; init; }

    /// <summary>Expands references in endpoint variables (e.g. <c>${HF_TOKEN}</c>); default: none.</summary>
    public Func<string, string> Expand { get; init; } = value => value;

    /// <summary>The backoff and health rules for workers that exit on their own.</summary>
    public RestartPolicy Restarts { get; init; } = new();

    /// <summary>Called once per worker when the store first sees it take a job (dev counts its ready
    /// workers).</summary>
    public Action<string>? Ready { get; init; }
}

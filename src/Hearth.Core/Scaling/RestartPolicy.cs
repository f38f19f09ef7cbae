namespace Hearth.Core.Scaling;

/// <summary>
/// How the scheduler restarts the workers of an endpoint whose workers exit on their own (<see cref="CrashLoop"/>):
/// an exponential backoff between starts, and when repeated quick exits turn the endpoint unhealthy.
/// </summary>
public sealed record RestartPolicy
{
    /// <summary>The wait before the first restart after a crash; each further crash doubles it. Default: 1 s.</summary>
    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait between restarts. Default: 30 s.</summary>
    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long a worker must stay up to count as up: that resets the backoff and the endpoint's health; an exit before
    /// it counts as a quick exit. Default: 60 s.
    /// </summary>
    public TimeSpan StableAfter { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How many quick exits in a row turn the endpoint unhealthy. Default: 3.</summary>
    public int UnhealthyAfter { get; init; } = 3;

    /// <summary>The wait before starting again after the <paramref name="failures"/>-th crash in a row.</summary>
    /// <param name="failures">Crashes in a row, counting the one just seen; at least 1.</param>
    /// <returns><see cref="InitialBackoff"/> × 2^(failures − 1), at most <see cref="MaxBackoff"/>.</returns>
    public TimeSpan Backoff(int failures)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(failures, 1);
        var delay = InitialBackoff;
        for (var i = 1; i < failures && delay < MaxBackoff; i++)
        {
            delay *= 2;
        }

        return delay < MaxBackoff ? delay : MaxBackoff;
    }
}

namespace Hearth.Scaling.Processes;

/// <summary>The exponential restart backoff of <see cref="WorkerPool"/>: 1 s, 2 s, 4 s … capped (with the defaults).</summary>
public static class RestartBackoff
{
    /// <summary>The wait before restarting after the <paramref name="failures"/>-th crash in a row.</summary>
    /// <param name="failures">Crashes in a row, counting the one just seen; at least 1.</param>
    /// <param name="options">The initial and maximum backoff.</param>
    /// <returns><see cref="WorkerPoolOptions.InitialBackoff"/> × 2^(failures − 1), at most <see cref="WorkerPoolOptions.MaxBackoff"/>.</returns>
    public static TimeSpan Delay(int failures, WorkerPoolOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(failures, 1);
        var delay = options.InitialBackoff;
        for (var i = 1; i < failures && delay < options.MaxBackoff; i++)
        {
            delay *= 2;
        }

        return delay < options.MaxBackoff ? delay : options.MaxBackoff;
    }
}

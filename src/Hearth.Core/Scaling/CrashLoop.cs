using System.Globalization;

namespace Hearth.Core.Scaling;

/// <summary>
/// The crash bookkeeping of one endpoint, the same for local processes and node agents: every worker that exits on
/// its own (or cannot be started) pushes the next start back by the <see cref="RestartPolicy"/>'s backoff, and
/// <see cref="RestartPolicy.UnhealthyAfter"/> quick exits in a row make the endpoint unhealthy with the exit code and
/// the worker's last output. A worker that stays up for <see cref="RestartPolicy.StableAfter"/> clears it all. Pure:
/// each method returns the next state.
/// </summary>
/// <param name="Failures">Crashes in a row (sets the backoff).</param>
/// <param name="QuickExits">Exits within <see cref="RestartPolicy.StableAfter"/> of starting, in a row.</param>
/// <param name="NotBefore">No worker of the endpoint starts before this moment.</param>
/// <param name="Unhealthy">Why the endpoint is unhealthy, or null while it is not.</param>
public sealed record CrashLoop(int Failures, int QuickExits, DateTimeOffset NotBefore, string? Unhealthy)
{
    /// <summary>No crash seen.</summary>
    public static CrashLoop None { get; } = new(0, 0, DateTimeOffset.MinValue, null);

    /// <summary>Whether a worker may start now.</summary>
    /// <param name="now">The current time.</param>
    /// <returns>False while the backoff after the last crash runs.</returns>
    public bool MayStart(DateTimeOffset now) => now >= NotBefore;

    /// <summary>A worker exited without being asked to.</summary>
    /// <param name="workerId">The worker.</param>
    /// <param name="exitCode">Its exit code (-1: it could not be started).</param>
    /// <param name="lastLines">Its last output lines, oldest first.</param>
    /// <param name="uptime">How long it ran.</param>
    /// <param name="now">The current time.</param>
    /// <param name="policy">The restart policy.</param>
    /// <returns>The next state.</returns>
    public CrashLoop Exited(string workerId, int exitCode, IReadOnlyList<string> lastLines, TimeSpan uptime,
        DateTimeOffset now, RestartPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(lastLines);
        ArgumentNullException.ThrowIfNull(policy);
        var quick = uptime < policy.StableAfter;
        var start = quick ? this : None;
        var what = exitCode == -1
            ? $"worker {workerId} could not be started"
            : string.Create(CultureInfo.InvariantCulture,
                $"worker {workerId} exited with code {exitCode} after {uptime.TotalSeconds:0.#} s");
        var failures = start.Failures + 1;
        var quickExits = start.QuickExits + (quick ? 1 : 0);
        var unhealthy = quickExits < policy.UnhealthyAfter ? start.Unhealthy
            : string.Create(CultureInfo.InvariantCulture,
                $"{quickExits} workers in a row exited within {policy.StableAfter.TotalSeconds:0.#} s of starting; ")
              + $"the last {what}. Last output lines:\n{string.Join('\n', lastLines)}";
        return new CrashLoop(failures, quickExits, now + policy.Backoff(failures), unhealthy);
    }

    /// <summary>The endpoint's workers as they run now: one up for the stable time clears the crash history.</summary>
    /// <param name="startedAt">When each running worker started.</param>
    /// <param name="now">The current time.</param>
    /// <param name="policy">The restart policy.</param>
    /// <returns><see cref="None"/> once a worker has stayed up; otherwise this state.</returns>
    public CrashLoop Running(IEnumerable<DateTimeOffset> startedAt, DateTimeOffset now, RestartPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(startedAt);
        ArgumentNullException.ThrowIfNull(policy);
        return Failures == 0 && QuickExits == 0 ? this
            : startedAt.Any(at => now - at >= policy.StableAfter) ? None : this;
    }
}

using System.Globalization;

namespace Hearth.Worker;

/// <summary>
/// Where a worker process's cold start goes, for <c>bench/cold-start.py</c>: when <see cref="FileVariable"/> names a
/// file, the worker appends one line to it when its first job arrives — the launch time its control plane gave it
/// (<see cref="SpawnedVariable"/>, Unix ms), when the app's own code began (<see cref="AppStarted"/>: process start
/// and runtime init before it), when the worker was built (the app's start-up), when it sent its first take and when
/// that take brought a job (first connection and the take). Wall-clock Unix ms, comparable across the two processes
/// on one machine. Off (nothing written) without the variable.
/// </summary>
internal sealed class StartupTrace(TimeProvider time, string workerId)
{
    /// <summary>The file to append the line to.</summary>
    public const string FileVariable = "HEARTH_STARTUP_TRACE";

    /// <summary>Set by the control plane's process launcher: when it started this process (Unix ms).</summary>
    public const string SpawnedVariable = "HEARTH_SPAWNED_AT_MS";

    private static double s_appStartedMs;

    private readonly string? _file = Environment.GetEnvironmentVariable(FileVariable);
    private readonly double _builtMs = Now(time);
    private double _firstTakeMs;
    private int _done;

    /// <summary>Marks when the app's own code began (<c>HearthApp.Create</c>); the first mark counts.</summary>
    public static void AppStarted(TimeProvider time)
    {
        if (s_appStartedMs == 0)
        {
            s_appStartedMs = Now(time);
        }
    }

    /// <summary>A take is being sent.</summary>
    public void TakeSent()
    {
        if (_file is not null && _firstTakeMs == 0)
        {
            _firstTakeMs = Now(time);
        }
    }

    /// <summary>A take brought <paramref name="jobs"/> jobs: the first that brings one writes the line.</summary>
    public void Taken(int jobs)
    {
        if (_file is null || jobs == 0 || Interlocked.Exchange(ref _done, 1) == 1)
        {
            return;
        }

        var spawned = double.TryParse(Environment.GetEnvironmentVariable(SpawnedVariable), NumberStyles.Float,
            CultureInfo.InvariantCulture, out var s) ? s : double.NaN;
        var spawnedText = double.IsNaN(spawned) ? "null" : spawned.ToString("F3", CultureInfo.InvariantCulture);
        var line = string.Create(CultureInfo.InvariantCulture,
            $"{{\"worker\":\"{workerId}\",\"spawnedAtMs\":{spawnedText},\"appStartedAtMs\":{s_appStartedMs:F3},"
            + $"\"builtAtMs\":{_builtMs:F3},"
            + $"\"firstTakeAtMs\":{_firstTakeMs:F3},\"firstJobAtMs\":{Now(time):F3}}}\n");
        try
        {
            File.AppendAllText(_file, line);
        }
        catch (IOException)
        {
            // A measurement aid: a file that cannot be written costs the figure, never the job.
        }
    }

    private static double Now(TimeProvider time) => (time.GetUtcNow() - DateTimeOffset.UnixEpoch).TotalMilliseconds;
}

using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.RegularExpressions;
using Hearth.Server.Tests.Fixtures;
using Hearth.Testing;

namespace Hearth.App.Tests.Hosting;

/// <summary>A Hearth app (the Echo sample, or the hearth CLI) run as a real process, the way a user runs it.</summary>
internal sealed partial class AppProcess : IDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lines = new();
    // Never disposed: the output handlers run on the thread pool and may still Release() after Dispose (the
    // output drains on its own schedule, even after the process has exited); a Release on a disposed semaphore
    // would throw there and crash the test host. Without AvailableWaitHandle it holds no unmanaged resource.
    private readonly SemaphoreSlim _arrived = new(0);
    private readonly TaskCompletionSource _outputEnded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _streamsEnded;
    private bool _disposed;

    private AppProcess(Process process)
    {
        _process = process;
        Pid = process.Id;
        process.OutputDataReceived += (_, e) => Add(e.Data);
        process.ErrorDataReceived += (_, e) => Add(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    /// <summary>The app's process id (still known after <see cref="Dispose"/>).</summary>
    public int Pid { get; }

    public string Output => string.Join('\n', _lines);

    /// <summary>The lines printed so far.</summary>
    public IReadOnlyList<string> Lines => [.. _lines];

    /// <summary>Path of a built app in the same configuration as these tests (Debug or Release).</summary>
    public static string Built(string project, string assembly)
    {
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
        return Path.Combine(WorkerProcess.RepoRoot(), project, "bin", configuration, "net10.0", assembly);
    }

    public static AppProcess Start(string dll, params string[] args) => Start(dll, new Dictionary<string, string>(), args);

    public static AppProcess Start(string dll, IReadOnlyDictionary<string, string> environment, params string[] args) =>
        StartVia(["dotnet"], dll, environment, args);

    /// <summary>Runs <c>launcher… dll args…</c>, e.g. <c>ip netns exec NS dotnet app.dll …</c> to put the app in a network namespace.</summary>
    public static AppProcess StartVia(string[] launcher, string dll, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var start = new ProcessStartInfo(launcher[0]) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = WorkerProcess.RepoRoot() };
        foreach (var a in launcher.Skip(1))
        {
            start.ArgumentList.Add(a);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        start.ArgumentList.Add(dll);
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        return new AppProcess(Process.Start(start)!);
    }

    private void Add(string? line)
    {
        if (line is not null)
        {
            _lines.Enqueue(line);
        }
        else if (Interlocked.Increment(ref _streamsEnded) == 2)
        {
            // Both stdout and stderr reached end of file: every line the app (or anything holding its pipes) will
            // ever print is in _lines.
            _outputEnded.TrySetResult();
        }

        _arrived.Release();
    }

    /// <summary>
    /// Waits (bounded) until the app's stdout and stderr are closed, i.e. every line it printed has arrived; after a
    /// kill, that is the moment <see cref="Lines"/> is complete.
    /// </summary>
    public Task OutputEndedAsync(int seconds = 10) =>
        _outputEnded.Task.Within(TimeSpan.FromSeconds(seconds), $"the app's (pid {Pid}) output to end");

    /// <summary>Waits (bounded) for a line matching <paramref name="pattern"/> and returns the match.</summary>
    public async Task<Match> WaitForAsync(string pattern, int seconds = 60)
    {
        var regex = new Regex(pattern);
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            // Read before the scan: once both streams have ended, this scan sees every line there will ever be.
            var ended = _outputEnded.Task.IsCompleted;
            foreach (var line in _lines)
            {
                var m = regex.Match(line);
                if (m.Success)
                {
                    return m;
                }
            }

            var left = deadline - DateTime.UtcNow;
            if (ended)
            {
                var code = _disposed ? "killed by the test"
                    : _process.WaitForExit(TimeSpan.FromSeconds(5)) ? _process.ExitCode.ToString() : "still running";
                throw new InvalidOperationException(
                    $"The app closed its output (exit code: {code}) before printing /{pattern}/. Output:\n{Output}");
            }

            if (left <= TimeSpan.Zero || !await _arrived.WaitAsync(left))
            {
                throw new TimeoutException($"The app never printed /{pattern}/. Output:\n{Output}");
            }
        }
    }

    /// <summary>Worker pids the app reported starting.</summary>
    public IReadOnlyList<int> WorkerPids => [.. _lines.Select(l => PidPattern().Match(l)).Where(m => m.Success).Select(m => int.Parse(m.Groups[1].Value))];

    public void Signal(string name)
    {
        using var kill = Process.Start("kill", ["-" + name, Pid.ToString()]);
        if (!kill.WaitForExit(TimeSpan.FromSeconds(10)))
        {
            throw new TimeoutException($"kill -{name} {Pid} did not return within 10 s.");
        }
    }

    public async Task<int> WaitForExitAsync(int seconds = 60)
    {
        try
        {
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(seconds));
        }
        catch (TimeoutException)
        {
            throw new TimeoutException(
                $"The app (pid {Pid}) did not exit within {seconds} s. Output:\n{Output}");
        }

        return _process.ExitCode;
    }

    public static bool IsAlive(int pid) => File.Exists($"/proc/{pid}/stat") && !File.ReadAllText($"/proc/{pid}/stat").Contains(") Z ");

    [GeneratedRegex(@"starting worker \S+ \(pid (\d+)\)")]
    private static partial Regex PidPattern();

    /// <summary>SIGKILL to the app and every process under it (a second call does nothing).</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            if (!_process.WaitForExit(TimeSpan.FromSeconds(30)))
            {
                throw new TimeoutException($"The app (pid {Pid}) was still running 30 s after SIGKILL.");
            }
        }

        // Let the output drain (bounded: a stray process still holding the pipes must not hang the test).
        _outputEnded.Task.Wait(TimeSpan.FromSeconds(10));
        _process.Dispose();
    }
}

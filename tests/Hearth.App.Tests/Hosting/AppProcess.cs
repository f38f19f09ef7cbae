using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.RegularExpressions;
using Hearth.Server.Tests.Fixtures;

namespace Hearth.App.Tests.Hosting;

/// <summary>A Hearth app (the Echo sample, or the hearth CLI) run as a real process, the way a user runs it.</summary>
internal sealed partial class AppProcess : IDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly SemaphoreSlim _arrived = new(0);
    private bool _disposed;

    private AppProcess(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) => Add(e.Data);
        process.ErrorDataReceived += (_, e) => Add(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public int Pid => _process.Id;

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
            _arrived.Release();
        }
    }

    /// <summary>Waits (bounded) for a line matching <paramref name="pattern"/> and returns the match.</summary>
    public async Task<Match> WaitForAsync(string pattern, int seconds = 60)
    {
        var regex = new Regex(pattern);
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            foreach (var line in _lines)
            {
                var m = regex.Match(line);
                if (m.Success)
                {
                    return m;
                }
            }

            var left = deadline - DateTime.UtcNow;
            if (_process.HasExited && _arrived.CurrentCount == 0)
            {
                throw new InvalidOperationException($"The app exited ({_process.ExitCode}) before printing /{pattern}/. Output:\n{Output}");
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
        using var kill = Process.Start("kill", ["-" + name, _process.Id.ToString()]);
        kill.WaitForExit();
    }

    public async Task<int> WaitForExitAsync(int seconds = 60)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        await _process.WaitForExitAsync(cts.Token);
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
            _process.WaitForExit();
        }

        _process.Dispose();
        _arrived.Dispose();
    }
}

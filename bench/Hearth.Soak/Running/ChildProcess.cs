using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Hearth.Soak.Running;

/// <summary>A process the soak started (hearth, redis-server, a worker): its output goes to a log file and is kept
/// for waits on a line; it is killed, whole tree, when disposed.</summary>
internal sealed class ChildProcess : IDisposable
{
    private readonly Process _process;
    private readonly StreamWriter _log;
    private readonly Lock _gate = new();
    private readonly List<string> _lines = [];
    private readonly SemaphoreSlim _arrived = new(0);

    private ChildProcess(Process process, string logPath)
    {
        _process = process;
        Pid = process.Id;
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(logPath))!);
        _log = new StreamWriter(new FileStream(logPath, FileMode.Append, FileAccess.Write, FileShare.ReadWrite)) { AutoFlush = true };
        process.OutputDataReceived += (_, e) => Add(e.Data);
        process.ErrorDataReceived += (_, e) => Add(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public int Pid { get; }

    /// <summary>Called with each line as it arrives (on the thread pool).</summary>
    public Action<string>? OnLine { get; set; }

    public bool HasExited => _process.HasExited;

    public string Tail
    {
        get
        {
            lock (_gate)
            {
                return string.Join('\n', _lines.TakeLast(40));
            }
        }
    }

    public static ChildProcess Start(string file, IEnumerable<string> args, IReadOnlyDictionary<string, string> environment, string logPath, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        return new ChildProcess(Process.Start(start) ?? throw new InvalidOperationException($"{file} did not start."), logPath);
    }

    /// <summary>Waits (bounded) for a line matching <paramref name="pattern"/>.</summary>
    public async Task<Match> WaitForAsync(string pattern, TimeSpan within, CancellationToken cancellationToken)
    {
        var regex = new Regex(pattern);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(within);
        var seen = 0;
        while (true)
        {
            lock (_gate)
            {
                for (; seen < _lines.Count; seen++)
                {
                    if (regex.Match(_lines[seen]) is { Success: true } m)
                    {
                        return m;
                    }
                }
            }

            if (_process.HasExited)
            {
                // Let the last lines arrive, then give up.
                await Task.Delay(TimeSpan.FromMilliseconds(200), TimeProvider.System, cancellationToken).ConfigureAwait(false);
                lock (_gate)
                {
                    if (_lines.Skip(seen).Select(l => regex.Match(l)).FirstOrDefault(m => m.Success) is { } late)
                    {
                        return late;
                    }
                }

                throw new InvalidOperationException($"{_process.StartInfo.FileName} exited ({_process.ExitCode}) before printing /{pattern}/:\n{Tail}");
            }

            try
            {
                await _arrived.WaitAsync(TimeSpan.FromMilliseconds(500), deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"{_process.StartInfo.FileName} did not print /{pattern}/ within {within.TotalSeconds} s:\n{Tail}");
            }
        }
    }

    public async Task<bool> WaitForExitAsync(TimeSpan within)
    {
        using var timeout = new CancellationTokenSource(within);
        try
        {
            await _process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>kill -9 of this process alone (its children live on, as after a real crash).</summary>
    public void KillHard() => Signals.Send(Pid, Signals.Kill);

    /// <summary>SIGTERM, then (after <paramref name="grace"/>) kill -9 of the whole tree.</summary>
    public async Task StopAsync(TimeSpan grace)
    {
        if (_process.HasExited)
        {
            return;
        }

        Signals.Send(Pid, Signals.Term);
        if (!await WaitForExitAsync(grace).ConfigureAwait(false))
        {
            Dispose();
        }
    }

    private void Add(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_gate)
        {
            _lines.Add(line);
            if (_lines.Count > 20_000)
            {
                _lines.RemoveRange(0, 10_000);
            }

            _log.WriteLine(line);
        }

        OnLine?.Invoke(line);
        _arrived.Release();
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(TimeSpan.FromSeconds(10));
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        lock (_gate)
        {
            _log.Dispose();
        }

        _process.Dispose();
    }
}

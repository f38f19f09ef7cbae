using System.Collections.Concurrent;
using System.Diagnostics;

namespace Hearth.Server.Tests.Fixtures;

/// <summary>A real Runpod-protocol worker process (samples/python-worker/worker.py) pointed at a test server.</summary>
public sealed class WorkerProcess : IDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lines = new();
    // Never disposed: the output handlers run on the thread pool and may still Release() after Dispose (the
    // process's output drains on its own schedule); a Release on a disposed semaphore would throw there and
    // take the test host down. It holds no unmanaged resource unless AvailableWaitHandle is used, which it is not.
    private readonly SemaphoreSlim _lineArrived = new(0);

    private WorkerProcess(Process process, string id)
    {
        _process = process;
        Id = id;
        process.ErrorDataReceived += (_, e) => Record(e.Data);
        process.OutputDataReceived += (_, e) => Record(e.Data);
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
    }

    public string Id { get; }

    public bool HasExited => _process.HasExited;

    public static WorkerProcess Start(string baseUrl, string endpoint, string id, string token = TestServer.WorkerToken, int pingMs = 200)
    {
        var start = new ProcessStartInfo("python3") { RedirectStandardError = true, RedirectStandardOutput = true };
        start.ArgumentList.Add("-u");
        start.ArgumentList.Add(Path.Combine(RepoRoot(), "samples", "python-worker", "worker.py"));
        start.Environment["RUNPOD_POD_ID"] = id;
        start.Environment["RUNPOD_AI_API_KEY"] = token;
        start.Environment["RUNPOD_PING_INTERVAL"] = pingMs.ToString();
        start.Environment["RUNPOD_WEBHOOK_GET_JOB"] = $"{baseUrl}/v2/{endpoint}/job-take/$ID?gpu=";
        start.Environment["RUNPOD_WEBHOOK_POST_OUTPUT"] = $"{baseUrl}/v2/{endpoint}/job-done/$RUNPOD_POD_ID/$ID?gpu=";
        start.Environment["RUNPOD_WEBHOOK_POST_STREAM"] = $"{baseUrl}/v2/{endpoint}/job-stream/$RUNPOD_POD_ID/$ID?gpu=";
        start.Environment["RUNPOD_WEBHOOK_PING"] = $"{baseUrl}/v2/{endpoint}/ping/$RUNPOD_POD_ID";
        return new WorkerProcess(Process.Start(start)!, id);
    }

    public static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Hearth.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("Cannot find the repository root (Hearth.sln) above the test binaries.");
    }

    private void Record(string? line)
    {
        if (line is null)
        {
            return;
        }

        _lines.Enqueue(line);
        _lineArrived.Release();
    }

    /// <summary>Waits (bounded) for an output line containing <paramref name="text"/>.</summary>
    public async Task WaitForLineAsync(string text, int seconds = 20)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!_lines.Any(l => l.Contains(text, StringComparison.Ordinal)))
        {
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero || !await _lineArrived.WaitAsync(left))
            {
                throw new TimeoutException($"Worker {Id} never printed '{text}'. Output:\n{string.Join('\n', _lines)}");
            }
        }
    }

    /// <summary>kill -9: no goodbye, no result, no more heartbeats.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        if (!_process.WaitForExit(TimeSpan.FromSeconds(30)))
        {
            throw new TimeoutException($"Worker {Id} (pid {_process.Id}) was still running 30 s after SIGKILL.");
        }
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            Kill();
        }

        _process.Dispose();
    }
}

using System.Collections.Concurrent;
using System.Diagnostics;
using Hearth.Server.Tests.Fixtures;

namespace Hearth.Server.Tests.RunpodPython;

/// <summary>
/// handler.py run by the genuine runpod-python SDK (Debian's /usr/bin/python3, the SDK from the shared vendor folder),
/// with the Runpod worker environment hearth dev gives a <c>command:</c> worker, pointed at a test server.
/// </summary>
internal sealed class RunpodPythonWorker : IDisposable
{
    private const string Python = "/usr/bin/python3";
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly SemaphoreSlim _arrived = new(0);

    private RunpodPythonWorker(Process process, string id)
    {
        _process = process;
        Id = id;
        process.OutputDataReceived += (_, e) => Add(e.Data);
        process.ErrorDataReceived += (_, e) => Add(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string Id { get; }

    public string Output => string.Join('\n', _lines);

    /// <summary>The SDK folder: RUNPOD_PYTHON, else ../shared/vendor/runpod-python beside the repository.</summary>
    public static string SdkDirectory =>
        Environment.GetEnvironmentVariable("RUNPOD_PYTHON") is { Length: > 0 } path
            ? path
            : Path.GetFullPath(Path.Combine(WorkerProcess.RepoRoot(), "..", "shared", "vendor", "runpod-python"));

    /// <summary>Why the genuine SDK cannot run here, or null when it can.</summary>
    public static string? WhyNot()
    {
        if (!File.Exists(Path.Combine(SdkDirectory, "runpod", "__init__.py")))
        {
            return $"the runpod-python SDK is not at {SdkDirectory} (set RUNPOD_PYTHON to its folder)";
        }

        if (!File.Exists(Python))
        {
            return $"{Python} is missing (apt-get install python3 python3-aiohttp …, see README.md here)";
        }

        var start = new ProcessStartInfo(Python, ["-c", "import aiohttp, requests"])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        using var probe = Process.Start(start)!;
        var error = probe.StandardError.ReadToEndAsync();
        if (!probe.WaitForExit(TimeSpan.FromSeconds(20)))
        {
            probe.Kill();
            return $"{Python} -c 'import aiohttp' did not finish in 20 s";
        }

        return probe.ExitCode == 0
            ? null
            : $"{Python} lacks the SDK's modules (apt-get install python3-aiohttp python3-requests …, see README.md "
              + $"here): {error.Result.Trim()}";
    }

    /// <summary>Starts handler.py as worker <paramref name="id"/>; mode "stream" runs the generator.</summary>
    public static RunpodPythonWorker Start(string baseUrl, string endpoint, string id, string? mode = null)
    {
        var start = new ProcessStartInfo(Python)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            WorkingDirectory = RunpodPythonRecording.Directory,
        };
        start.ArgumentList.Add("-u");
        start.ArgumentList.Add(Path.Combine(RunpodPythonRecording.Directory, "handler.py"));
        if (mode is not null)
        {
            start.ArgumentList.Add(mode);
        }

        // What DevSupervisor gives a command: worker, plus the two variables the vendor README asks for.
        var v2 = $"{baseUrl}/v2/{endpoint}";
        start.Environment["RUNPOD_WEBHOOK_GET_JOB"] = $"{v2}/job-take/$ID?";
        start.Environment["RUNPOD_WEBHOOK_POST_OUTPUT"] = $"{v2}/job-done/$RUNPOD_POD_ID/$ID?";
        start.Environment["RUNPOD_WEBHOOK_POST_STREAM"] = $"{v2}/job-stream/$RUNPOD_POD_ID/$ID?";
        start.Environment["RUNPOD_WEBHOOK_PING"] = $"{v2}/ping/$RUNPOD_POD_ID";
        start.Environment["RUNPOD_POD_ID"] = id;
        start.Environment["RUNPOD_AI_API_KEY"] = TestServer.WorkerToken;
        start.Environment["RUNPOD_ENDPOINT_ID"] = endpoint;
        start.Environment["RUNPOD_PING_INTERVAL"] = "1000";
        start.Environment["RUNPOD_SKIP_AUTO_SYSTEM_CHECKS"] = "true";
        start.Environment["PYTHONPATH"] = $"{SdkDirectory}:{Path.Combine(SdkDirectory, "shim")}";
        return new RunpodPythonWorker(Process.Start(start)!, id);
    }

    private void Add(string? line)
    {
        if (line is not null)
        {
            _lines.Enqueue(line);
            _arrived.Release();
        }
    }

    /// <summary>Waits (bounded) for an output line containing both texts.</summary>
    public async Task WaitForLineAsync(string text, string and, int seconds = 20)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        bool Printed(string l) =>
            l.Contains(text, StringComparison.Ordinal) && l.Contains(and, StringComparison.Ordinal);
        while (!_lines.Any(Printed))
        {
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero || !await _arrived.WaitAsync(left))
            {
                throw new TimeoutException($"Worker {Id} never printed '{text}' with '{and}'. Output:\n{Output}");
            }
        }
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            // The SDK's heartbeat runs in a child process: end the whole tree.
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(TimeSpan.FromSeconds(10));
        }

        _process.Dispose();
        _arrived.Dispose();
    }
}

using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Hearth.Server.Tests.Fixtures;

namespace Hearth.App.Tests.Hosting;

/// <summary>
/// A worker written for Runpod with the genuine runpod-python SDK, moved to `hearth dev` unchanged: dev says it is
/// ready (the SDK prints no "ready" line of its own) and the worker serves a job.
/// </summary>
public sealed class RunpodPythonDevTests
{
    private const string Python = "/usr/bin/python3";

    private static string Sdk => Path.GetFullPath(Path.Combine(WorkerProcess.RepoRoot(), "..", "shared", "vendor",
        "runpod-python"));

    [SkippableFact]
    public async Task Hearth_dev_is_ready_with_genuine_runpod_python_workers_and_they_serve()
    {
        var why = WhyNot();
        Skip.If(why is not null, why);
        var dir = Directory.CreateTempSubdirectory("hearth-runpod-python-").FullName;
        var handler = Path.Combine(WorkerProcess.RepoRoot(), "tests", "Hearth.Server.Tests", "RunpodPython",
            "handler.py");
        var yaml = Path.Combine(dir, "hearth.yaml");
        File.WriteAllText(yaml, $"""
            endpoints:
              - name: rp
                cpu: cpu3c-1-2
                workers: [1, 1]
                env:
                  PYTHONPATH: "{Sdk}:{Sdk}/shim"
                  RUNPOD_SKIP_AUTO_SYSTEM_CHECKS: "true"
                command: {Python} -u {handler}
            """);
        using var app = AppProcess.Start(AppProcess.Built("src/Hearth.Cli", "hearth.dll"),
            ["dev", "--config", yaml, "--port", "0", "--data", Path.Combine(dir, "data"), "--api-key", "k"]);
        var address = (await app.WaitForAsync(@"listening on (http://\S+)")).Groups[1].Value;
        await app.WaitForAsync("^Ready in", 60);
        Assert.Contains("rp: worker rp-", app.Output); // the store saw it take: "ready, cold start N ms"

        using var client = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "k");
        using var done = await client.PostAsync("/v2/rp/runsync",
            TestServer.Json("""{"input":{"case":"plain","text":"moved over"}}"""));
        var body = JsonNode.Parse(await done.Content.ReadAsStringAsync())!;
        Assert.Equal("COMPLETED", (string?)body["status"]);
        Assert.Equal("moved over", (string?)body["output"]!["echo"]);
    }

    /// <summary>Why the genuine SDK cannot run here (test.sh installs what it needs), or null.</summary>
    private static string? WhyNot()
    {
        if (!File.Exists(Path.Combine(Sdk, "runpod", "__init__.py")))
        {
            return $"the runpod-python SDK is not at {Sdk} (../shared/vendor/runpod-python)";
        }

        using var probe = Process.Start(new ProcessStartInfo(File.Exists(Python) ? Python : "python3",
            ["-c", "import aiohttp, requests"]) { RedirectStandardError = true })!;
        return probe.WaitForExit(TimeSpan.FromSeconds(20)) && probe.ExitCode == 0
            ? null
            : $"{Python} lacks runpod-python's modules (test.sh installs python3-aiohttp and the rest)";
    }
}

using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Hearth.Server.Tests.Fixtures;
using Hearth.Testing;

namespace Hearth.App.Tests.Hosting;

/// <summary>
/// <c>protocol: push</c> under <c>hearth dev</c> with the genuine runpod-python SDK and a sync handler: the bridge
/// pushes each job to the SDK's realtime server, and a stop (cancel, timeout) restarts the SDK's process.
/// </summary>
public sealed class PushBridgeDevTests(PushBridgeDevTests.PushDev dev) : IClassFixture<PushBridgeDevTests.PushDev>
{
    [SkippableFact]
    public async Task Twenty_sequential_runsync_jobs_complete_with_their_outputs()
    {
        Skip.If(dev.WhyNot is not null, dev.WhyNot);
        for (var i = 0; i < 20; i++)
        {
            var body = await dev.RunSyncAsync($$$"""{"input":{"case":"echo","n":{{{i}}}}}""");
            Assert.True((string?)body["status"] == "COMPLETED", body.ToJsonString());
            Assert.Equal(i * 2, (int)body["output"]!["twice"]!);
        }
    }

    [SkippableFact]
    public async Task A_handler_error_fails_the_job_with_that_error()
    {
        Skip.If(dev.WhyNot is not null, dev.WhyNot);
        var body = await dev.RunSyncAsync("""{"input":{"case":"raise"}}""");
        Assert.True((string?)body["status"] == "FAILED", body.ToJsonString());
        Assert.Contains("boom from the handler", body.ToJsonString(), StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task An_empty_output_completes_the_job()
    {
        Skip.If(dev.WhyNot is not null, dev.WhyNot);
        var body = await dev.RunSyncAsync("""{"input":{"case":"none"}}""");
        Assert.True((string?)body["status"] == "COMPLETED", body.ToJsonString());
    }

    [SkippableFact]
    public async Task Cancel_of_a_running_job_ends_it_cancelled_and_the_next_job_runs()
    {
        Skip.If(dev.WhyNot is not null, dev.WhyNot);
        var id = await dev.SubmitAsync("""{"input":{"case":"sleep","seconds":120}}""");
        await dev.StatusAsync(id, "IN_PROGRESS");
        using (var cancel = await dev.Client.PostAsync($"/v2/rp/cancel/{id}", null))
        {
            cancel.EnsureSuccessStatusCode();
        }

        await dev.StatusAsync(id, "CANCELLED");
        var next = await dev.RunSyncAsync("""{"input":{"case":"echo","n":21}}""");
        Assert.True((string?)next["status"] == "COMPLETED", next.ToJsonString() + "\n" + dev.App.Output);
        Assert.Contains("restarting its runpod-python process", dev.App.Output, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task A_job_past_its_execution_timeout_ends_timed_out_and_the_next_job_runs()
    {
        Skip.If(dev.WhyNot is not null, dev.WhyNot);
        var id = await dev.SubmitAsync(
            """{"input":{"case":"sleep","seconds":120},"policy":{"executionTimeout":5000}}""");
        await dev.StatusAsync(id, "TIMED_OUT", 60);
        var next = await dev.RunSyncAsync("""{"input":{"case":"echo","n":4}}""");
        Assert.True((string?)next["status"] == "COMPLETED", next.ToJsonString() + "\n" + dev.App.Output);
        Assert.Equal(8, (int)next["output"]!["twice"]!);
    }

    [SkippableFact]
    public async Task A_worker_process_that_dies_fails_its_job_with_its_exit_and_the_worker_is_restarted()
    {
        Skip.If(dev.WhyNot is not null, dev.WhyNot);
        var body = await dev.RunSyncAsync("""{"input":{"case":"die"}}""");
        Assert.True((string?)body["status"] == "FAILED", body.ToJsonString());
        Assert.Contains("exited with code 3", body.ToJsonString(), StringComparison.Ordinal);
        Assert.Contains("dying on purpose", body.ToJsonString(), StringComparison.Ordinal);

        // The bridge left with its child; the scheduler starts a new worker for the next job.
        var next = await dev.RunSyncAsync("""{"input":{"case":"echo","n":5}}""");
        Assert.True((string?)next["status"] == "COMPLETED", next.ToJsonString() + "\n" + dev.App.Output);
    }

    /// <summary>One <c>hearth dev</c> with one push endpoint (one worker), shared by the tests above.</summary>
    public sealed class PushDev : IAsyncLifetime
    {
        private const string Python = "/usr/bin/python3";

        private const string Handler = """
            import os
            import sys
            import time

            import runpod


            def handler(job):
                job_input = job["input"]
                case = job_input["case"]
                if case == "echo":
                    return {"n": job_input["n"], "twice": job_input["n"] * 2}
                if case == "sleep":
                    time.sleep(job_input["seconds"])
                    return {"slept": job_input["seconds"]}
                if case == "raise":
                    raise ValueError("boom from the handler")
                if case == "none":
                    return None
                if case == "die":
                    print("dying on purpose", file=sys.stderr, flush=True)
                    os._exit(3)
                raise KeyError(case)


            runpod.serverless.start({"handler": handler})
            """;

        public string? WhyNot { get; } = Why();

        internal AppProcess App { get; private set; } = null!;

        public HttpClient Client { get; private set; } = null!;

        private static string Sdk => Path.GetFullPath(Path.Combine(WorkerProcess.RepoRoot(), "..", "shared",
            "vendor", "runpod-python"));

        public async Task InitializeAsync()
        {
            if (WhyNot is not null)
            {
                return;
            }

            var dir = Directory.CreateTempSubdirectory("hearth-push-").FullName;
            var handler = Path.Combine(dir, "handler.py");
            await File.WriteAllTextAsync(handler, Handler);
            var yaml = Path.Combine(dir, "hearth.yaml");
            await File.WriteAllTextAsync(yaml, $"""
                endpoints:
                  - name: rp
                    cpu: cpu3c-1-2
                    workers: [1, 1]
                    protocol: push
                    env:
                      PYTHONPATH: "{Sdk}:{Sdk}/shim"
                      UVICORN_LOG_LEVEL: warning
                    command: {Python} -u {handler}
                """);
            App = AppProcess.Start(AppProcess.Built("src/Hearth.Cli", "hearth.dll"),
                ["dev", "--config", yaml, "--port", "0", "--data", Path.Combine(dir, "data"), "--api-key", "k"]);
            var address = (await App.WaitForAsync(@"listening on (http://\S+)")).Groups[1].Value;
            await App.WaitForAsync("^Ready in", 120);
            Client = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromSeconds(120) };
            Client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "k");
        }

        public Task DisposeAsync()
        {
            Client?.Dispose();
            App?.Dispose();
            return Task.CompletedTask;
        }

        public async Task<JsonNode> RunSyncAsync(string body)
        {
            using var done = await Client.PostAsync("/v2/rp/runsync", TestServer.Json(body));
            return JsonNode.Parse(await done.Content.ReadAsStringAsync())!;
        }

        public async Task<string> SubmitAsync(string body)
        {
            using var run = await Client.PostAsync("/v2/rp/run", TestServer.Json(body));
            run.EnsureSuccessStatusCode();
            return (string)JsonNode.Parse(await run.Content.ReadAsStringAsync())!["id"]!;
        }

        /// <summary>Waits (bounded) until the job's status is <paramref name="status"/>.</summary>
        public Task<JsonNode> StatusAsync(string id, string status, int seconds = 30)
        {
            JsonNode? last = null;
            return Eventually.ValueAsync(async () =>
            {
                using var answer = await Client.GetAsync($"/v2/rp/status/{id}");
                last = JsonNode.Parse(await answer.Content.ReadAsStringAsync());
                return (string?)last?["status"] == status ? last : null;
            }, $"job {id} to be {status} (last: {last?.ToJsonString()})", seconds);
        }

        private static string? Why()
        {
            if (!File.Exists(Path.Combine(Sdk, "runpod", "__init__.py")))
            {
                return $"the runpod-python SDK is not at {Sdk} (../shared/vendor/runpod-python)";
            }

            if (!File.Exists(Python))
            {
                return $"{Python} is missing (test.sh installs python3 and runpod-python's Debian packages)";
            }

            var modules = new ProcessStartInfo(Python, ["-c", "import aiohttp, requests, fastapi, uvicorn"])
            {
                RedirectStandardError = true,
            };
            using var probe = Process.Start(modules)!;
            return probe.WaitForExit(TimeSpan.FromSeconds(20)) && probe.ExitCode == 0
                ? null
                : $"{Python} lacks runpod-python's modules (test.sh installs python3-aiohttp, -fastapi, -uvicorn …)";
        }
    }
}

using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Hearth.Server.Tests.Fixtures;
using Hearth.Testing;

namespace Hearth.App.Tests.Hosting;

/// <summary>
/// <c>protocol: push</c> under <c>hearth dev</c> with a sync handler: the bridge pushes each job to the worker's
/// realtime server, a stop (cancel, timeout) restarts the worker's process, a process that dies is a lost worker (its
/// job runs again, and fails past the lost-worker cap), and a killed bridge takes its process with it. Run
/// against the genuine runpod-python SDK (<see cref="PushBridgeGenuineSdkTests"/>) and, so CI needs no SDK, against
/// a standard-library stand-in for its realtime server (<see cref="PushBridgeStandInTests"/>).
/// </summary>
public abstract class PushBridgeDevTests<TDev>(TDev dev)
    where TDev : RunpodDev
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
        await dev.CancelRunningJobThenRunNextAsync(cancelledWithin: 30);
        Assert.Contains("restarting its runpod-python process", dev.App.Output, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task A_job_past_its_execution_timeout_ends_timed_out_and_the_next_job_runs()
    {
        Skip.If(dev.WhyNot is not null, dev.WhyNot);
        await dev.TimeOutRunningJobThenRunNextAsync();
    }

    [SkippableFact]
    public async Task A_worker_process_that_dies_mid_job_runs_the_job_again_on_a_new_process()
    {
        Skip.If(dev.WhyNot is not null, dev.WhyNot);
        await dev.RunJobWhoseWorkerDiesOnceAsync();
    }

    [SkippableFact]
    public async Task A_job_that_kills_every_worker_process_fails_past_the_lost_worker_cap_with_the_exit()
    {
        Skip.If(dev.WhyNot is not null, dev.WhyNot);
        var id = await dev.SubmitAsync("""{"input":{"case":"die"}}""");
        var body = (await dev.StatusAsync(id, "FAILED", 120)).ToJsonString();
        Assert.Contains("worker lost 3 times (its process exited with code 3: runpod-python: dying on purpose)", body,
            StringComparison.Ordinal);

        // The scheduler keeps restarting the worker (with backoff): the next job runs.
        var next = await dev.RunSyncAsync("""{"input":{"case":"echo","n":5}}""");
        Assert.True((string?)next["status"] == "COMPLETED", next.ToJsonString() + "\n" + dev.App.Output);
    }

    [SkippableFact]
    public async Task Killing_the_bridge_with_sigkill_takes_its_runpod_python_process_with_it()
    {
        Skip.If(dev.WhyNot is not null, dev.WhyNot);
        var pidFile = Path.Combine(Path.GetTempPath(), $"hearth-push-{Guid.NewGuid():N}");
        var input = new JsonObject { ["case"] = "pid", ["pidfile"] = pidFile, ["seconds"] = 300 };
        var id = await dev.SubmitAsync(new JsonObject { ["input"] = input }.ToJsonString());
        var written = await Eventually.ValueAsync(
            () => Task.FromResult(File.Exists(pidFile) && File.ReadAllText(pidFile) is { Length: > 0 } text
                ? text
                : null),
            "the handler to write its pid");
        var python = int.Parse(written, CultureInfo.InvariantCulture);
        var bridge = Ancestors(python).First(p => Command(p).Contains("--bridge", StringComparison.Ordinal));
        File.Delete(pidFile);
        using (var kill = Process.Start("kill", ["-9", bridge.ToString(CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        await Eventually.ValueAsync(() => Task.FromResult(Alive(python) ? null : "ended"),
            $"runpod-python process {python} to end after its bridge {bridge} was killed", 15);

        // The job the killed worker held runs again on the next worker; cancel it there.
        await Eventually.ValueAsync(() => Task.FromResult(File.Exists(pidFile) ? pidFile : null),
            "the job to run again on a new worker", 60);
        using (var cancel = await dev.Client.PostAsync($"/v2/rp/cancel/{id}", null))
        {
            cancel.EnsureSuccessStatusCode();
        }

        await dev.StatusAsync(id, "CANCELLED");
        File.Delete(pidFile);
    }

    private static IEnumerable<int> Ancestors(int pid)
    {
        for (var p = Parent(pid); p > 1; p = Parent(p))
        {
            yield return p;
        }
    }

    /// <summary>The parent pid, from /proc/pid/stat (the field after the parenthesized command).</summary>
    private static int Parent(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        return int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1], CultureInfo.InvariantCulture);
    }

    private static string Command(int pid) => File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ');

    /// <summary>Running: it has a /proc entry that is not a zombie waiting to be reaped.</summary>
    private static bool Alive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[stat.LastIndexOf(')') + 2] != 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }
}

/// <summary>The push tests against the genuine runpod-python SDK (skipped where it is not installed).</summary>
public sealed class PushBridgeGenuineSdkTests(RunpodDev.GenuineSdk dev)
    : PushBridgeDevTests<RunpodDev.GenuineSdk>(dev), IClassFixture<RunpodDev.GenuineSdk>;

/// <summary>
/// The same genuine runpod-python worker in pull mode (the SDK takes its own jobs, runs a sync handler that cannot be
/// interrupted): a cancel or a timeout ends the job at once, and the worker that goes on running the handler is killed
/// as a runaway and replaced; a worker process that dies has its job run again.
/// </summary>
public sealed class RunpodPythonPullTests(RunpodDev.GenuineSdkPull dev) : IClassFixture<RunpodDev.GenuineSdkPull>
{
    [SkippableFact]
    public async Task Cancel_ends_the_job_at_once_and_the_worker_still_running_it_is_replaced()
    {
        Skip.If(dev.WhyNot is not null, dev.WhyNot);
        var id = await dev.CancelRunningJobThenRunNextAsync(cancelledWithin: 5);
        Assert.Contains("still running job " + id, dev.App.Output, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task A_job_past_its_execution_timeout_ends_timed_out_and_its_stuck_worker_is_replaced()
    {
        Skip.If(dev.WhyNot is not null, dev.WhyNot);
        await dev.TimeOutRunningJobThenRunNextAsync();
    }

    [SkippableFact]
    public async Task A_worker_process_that_dies_mid_job_runs_the_job_again_on_a_new_process()
    {
        Skip.If(dev.WhyNot is not null, dev.WhyNot);
        await dev.RunJobWhoseWorkerDiesOnceAsync();
    }
}

/// <summary>
/// <c>protocol: auto</c> (the default) with the genuine runpod-python SDK: the first job runs on pull, its result
/// shows runpod-python serving one job at a time, and the endpoint moves to push: later jobs reach the handler
/// through the SDK's realtime server.
/// </summary>
public abstract class RunpodPythonAutoTests<TDev>(TDev dev)
    where TDev : RunpodDev
{
    [SkippableFact]
    public async Task The_first_result_settles_the_endpoint_on_push_and_later_jobs_run_through_the_realtime_server()
    {
        Skip.If(dev.WhyNot is not null, dev.WhyNot);
        const string Env = """{"input":{"case":"env"}}""";
        var first = await dev.RunSyncAsync(Env);
        Assert.True((string?)first["status"] == "COMPLETED", first.ToJsonString() + "\n" + dev.App.Output);
        Assert.Null(first["output"]!["realtime"]); // pulled: the SDK serves no realtime route

        await Eventually.ValueAsync(
            () => Task.FromResult(dev.App.Output.Contains(
                "rp: protocol auto settles on push: runpod-python ", StringComparison.Ordinal) ? "settled" : null),
            "the endpoint to settle on push", 30);
        var pushed = await Eventually.ValueAsync(async () =>
        {
            var body = await dev.RunSyncAsync(Env);
            return (string?)body["status"] == "COMPLETED" && body["output"]!["realtime"] is not null ? body : null;
        }, "a job to reach the handler through the realtime server", 90);
        Assert.NotNull(pushed["output"]!["realtime"]);
    }
}

/// <summary>Auto with the genuine SDK.</summary>
public sealed class RunpodPythonAutoGenuineSdkTests(RunpodDev.GenuineSdkAuto dev)
    : RunpodPythonAutoTests<RunpodDev.GenuineSdkAuto>(dev), IClassFixture<RunpodDev.GenuineSdkAuto>;

/// <summary>Auto with the standard-library stand-in, which pulls like the SDK (its User-Agent, its 1 s sleep), so CI
/// fails without the SDK if auto stops moving such workers to push.</summary>
public sealed class RunpodPythonAutoStandInTests(RunpodDev.StandInAuto dev)
    : RunpodPythonAutoTests<RunpodDev.StandInAuto>(dev), IClassFixture<RunpodDev.StandInAuto>;

/// <summary>The push tests against a standard-library stand-in for the SDK's realtime server.</summary>
public sealed class PushBridgeStandInTests(RunpodDev.StandIn dev)
    : PushBridgeDevTests<RunpodDev.StandIn>(dev), IClassFixture<RunpodDev.StandIn>;

/// <summary>One <c>hearth dev</c> with one runpod-python endpoint (one worker), push unless a subclass says pull,
/// shared by one class's tests.</summary>
public abstract class RunpodDev : IAsyncLifetime
{
    private const string Python = "/usr/bin/python3";

    /// <summary>The handler's cases: echo, sleep, raise, none, die.</summary>
    private const string Handler = """
        import os
        import sys
        import time


        def handler(job):
            job_input = job["input"]
            case = job_input["case"]
            if case == "echo":
                return {"n": job_input["n"], "twice": job_input["n"] * 2}
            if case == "sleep":
                if "marker" in job_input:
                    open(job_input["marker"], "w").close()
                time.sleep(job_input["seconds"])
                return {"slept": job_input["seconds"]}
            if case == "raise":
                raise ValueError("boom from the handler")
            if case == "none":
                return None
            if case == "env":
                return {"realtime": os.environ.get("RUNPOD_REALTIME_PORT")}
            if case == "die_once":
                if not os.path.exists(job_input["marker"]):
                    open(job_input["marker"], "w").close()
                    print("dying on purpose", file=sys.stderr, flush=True)
                    os._exit(3)
                return {"survived": True}
            if case == "pid":
                with open(job_input["pidfile"], "w") as f:
                    f.write(str(os.getpid()))
                time.sleep(job_input["seconds"])
                return {"slept": job_input["seconds"]}
            if case == "die":
                print("dying on purpose", file=sys.stderr, flush=True)
                os._exit(3)
            raise KeyError(case)

        """;

    /// <summary>What runs the handler.</summary>
    protected abstract string Serve { get; }

    /// <summary>The endpoint's <c>protocol:</c>.</summary>
    protected virtual string Protocol => "push";

    /// <summary>The endpoint's env: lines, indented for the YAML.</summary>
    protected abstract string Env { get; }

    public string? WhyNot { get; private set; }

    internal AppProcess App { get; private set; } = null!;

    public HttpClient Client { get; private set; } = null!;

    private static string Sdk => Path.GetFullPath(Path.Combine(WorkerProcess.RepoRoot(), "..", "shared",
        "vendor", "runpod-python"));

    /// <summary>Why these tests cannot run here, or null.</summary>
    protected abstract string? Why();

    public async Task InitializeAsync()
    {
        WhyNot = File.Exists(Python) ? Why() : $"{Python} is missing (test.sh installs python3)";
        if (WhyNot is not null)
        {
            return;
        }

        var dir = Directory.CreateTempSubdirectory("hearth-push-").FullName;
        var handler = Path.Combine(dir, "handler.py");
        await File.WriteAllTextAsync(handler, Handler + Serve);
        var yaml = Path.Combine(dir, "hearth.yaml");
        await File.WriteAllTextAsync(yaml, $"""
            endpoints:
              - name: rp
                cpu: cpu3c-1-2
                workers: [1, 1]
                protocol: {Protocol}
                env:
            {Env}
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

    /// <summary>Starts a handler that sleeps, cancels it once it runs (it must end CANCELLED within
    /// <paramref name="cancelledWithin"/> s), then runs the next job; returns the cancelled job's id.</summary>
    public async Task<string> CancelRunningJobThenRunNextAsync(int cancelledWithin)
    {
        var marker = Path.Combine(Path.GetTempPath(), $"hearth-rp-{Guid.NewGuid():N}");
        var input = new JsonObject { ["case"] = "sleep", ["seconds"] = 300, ["marker"] = marker };
        var id = await SubmitAsync(new JsonObject { ["input"] = input }.ToJsonString());
        await Eventually.ValueAsync(() => Task.FromResult(File.Exists(marker) ? marker : null),
            "the handler to start", 60);
        using (var cancel = await Client.PostAsync($"/v2/rp/cancel/{id}", null))
        {
            cancel.EnsureSuccessStatusCode();
        }

        await StatusAsync(id, "CANCELLED", cancelledWithin);
        await RunNextAsync(21);
        File.Delete(marker);
        return id;
    }

    /// <summary>A handler that sleeps past its 5 s execution timeout ends TIMED_OUT; then the next job runs.</summary>
    public async Task TimeOutRunningJobThenRunNextAsync()
    {
        var id = await SubmitAsync("""{"input":{"case":"sleep","seconds":300},"policy":{"executionTimeout":5000}}""");
        await StatusAsync(id, "TIMED_OUT", 60);
        await RunNextAsync(4);
    }

    /// <summary>A job whose worker process dies the first time completes on the next one.</summary>
    public async Task RunJobWhoseWorkerDiesOnceAsync()
    {
        var marker = Path.Combine(Path.GetTempPath(), $"hearth-rp-{Guid.NewGuid():N}");
        var input = new JsonObject { ["case"] = "die_once", ["marker"] = marker };
        var body = await RunSyncAsync(new JsonObject { ["input"] = input }.ToJsonString());
        Assert.True((string?)body["status"] == "COMPLETED", body.ToJsonString() + "\n" + App.Output);
        Assert.True((bool)body["output"]!["survived"]!);
        Assert.Contains("ended holding 1 job(s); they run again now", App.Output, StringComparison.Ordinal);
        File.Delete(marker);
    }

    private async Task RunNextAsync(int n)
    {
        var next = await RunSyncAsync($$$"""{"input":{"case":"echo","n":{{{n}}}}}""");
        Assert.True((string?)next["status"] == "COMPLETED", next.ToJsonString() + "\n" + App.Output);
        Assert.Equal(2 * n, (int)next["output"]!["twice"]!);
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

    /// <summary>The handler run by the genuine runpod-python SDK (RUNPOD_REALTIME_PORT makes it serve).</summary>
    public class GenuineSdk : RunpodDev
    {
        protected override string Serve => """

            import runpod

            runpod.serverless.start({"handler": handler})
            """;

        protected override string Env => $"""
                  PYTHONPATH: "{Sdk}:{Sdk}/shim"
                  UVICORN_LOG_LEVEL: warning
            """;

        protected override string? Why()
        {
            if (!File.Exists(Path.Combine(Sdk, "runpod", "__init__.py")))
            {
                return $"the runpod-python SDK is not at {Sdk} (../shared/vendor/runpod-python)";
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

    /// <summary>The stand-in under <c>protocol: auto</c>: it pulls like the SDK (one job, then a 1 s sleep) until the
    /// endpoint settles on push.</summary>
    public sealed class StandInAuto : StandIn
    {
        protected override string Protocol => "auto";
    }

    /// <summary>The genuine SDK under <c>protocol: auto</c>.</summary>
    public sealed class GenuineSdkAuto : GenuineSdk
    {
        protected override string Protocol => "auto";
    }

    /// <summary>The genuine SDK taking its own jobs (<c>protocol: pull</c>).</summary>
    public sealed class GenuineSdkPull : GenuineSdk
    {
        protected override string Protocol => "pull";
    }

    /// <summary>
    /// What the SDK's realtime server does, in the standard library: <c>POST /{RUNPOD_ENDPOINT_ID}/realtime</c> on
    /// <c>RUNPOD_REALTIME_PORT</c> (bound to 0.0.0.0, as the SDK does), one request at a time, the job-done body as
    /// the answer, 405 to a GET, and a client that gives up does not stop the handler.
    /// </summary>
    public class StandIn : RunpodDev
    {
        protected override string Serve => """

            import json
            from http.server import BaseHTTPRequestHandler, HTTPServer

            ROUTE = "/" + os.environ["RUNPOD_ENDPOINT_ID"] + "/realtime"


            class Realtime(BaseHTTPRequestHandler):
                protocol_version = "HTTP/1.1"

                def answer(self, code, body):
                    data = json.dumps(body).encode()
                    self.send_response(code)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)

                def do_GET(self):
                    self.answer(405, {"detail": "Method Not Allowed"})

                def do_POST(self):
                    if self.path != ROUTE:
                        return self.answer(404, {"detail": "Not Found"})
                    job = json.loads(self.rfile.read(int(self.headers.get("Content-Length", "0"))))
                    try:
                        output = handler(job)
                        body = {} if output is None else {"output": output}
                    except Exception as e:
                        body = {"error": json.dumps({"error_type": str(type(e)), "error_message": str(e)})}
                    self.answer(200, body)

                def log_message(self, *args):
                    pass


            def pull():
                # What runpod-python 1.12 does without RUNPOD_REALTIME_PORT: it takes one job at a time (its User-Agent
                # says who it is), posts the result, then sleeps 1 s because its one slot was full (rp_scale.py).
                import time
                import urllib.error
                import urllib.request

                worker = os.environ["RUNPOD_POD_ID"]
                take = os.environ["RUNPOD_WEBHOOK_GET_JOB"].replace("$ID", worker)
                done = os.environ["RUNPOD_WEBHOOK_POST_OUTPUT"].replace("$RUNPOD_POD_ID", worker)
                headers = {"Authorization": os.environ["RUNPOD_AI_API_KEY"],
                           "User-Agent": "RunPod-Python-SDK/1.12.0 (stand-in) Language/Python",
                           "Content-Type": "application/json"}
                while True:
                    try:
                        with urllib.request.urlopen(urllib.request.Request(take, headers=headers), timeout=90) as r:
                            if r.status == 204:
                                continue
                            job = json.loads(r.read())
                    except (urllib.error.URLError, OSError):
                        time.sleep(0.5)
                        continue
                    try:
                        output = handler(job)
                        body = {} if output is None else {"output": output}
                    except Exception as e:
                        body = {"error": str(e)}
                    request = urllib.request.Request(done.replace("$ID", job["id"]), data=json.dumps(body).encode(),
                                                     headers=headers, method="POST")
                    try:
                        urllib.request.urlopen(request, timeout=30).close()
                    except (urllib.error.URLError, OSError):
                        pass
                    time.sleep(1)


            if "RUNPOD_REALTIME_PORT" not in os.environ:
                pull()
            HTTPServer(("0.0.0.0", int(os.environ["RUNPOD_REALTIME_PORT"])), Realtime).serve_forever()
            """;

        protected override string Env => """
                  PYTHONUNBUFFERED: "1"
            """;

        protected override string? Why() => null;
    }
}

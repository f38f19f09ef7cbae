using System.Text.Json;
using Hearth.Client;

namespace Hearth.App.Tests.Hosting;

public sealed record EchoInput(string Hello, int Sleep_ms = 0);

public sealed record StreamInput(int Count);

public sealed record Chunk(int I);

/// <summary>`dev` as a user runs it: a real process tree, driven through the typed client, stopped with SIGTERM.</summary>
public sealed class DevProcessTests
{
    private static string TempData() => Path.Combine(Path.GetTempPath(), "hearth-dev-test-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task Echo_dev_serves_jobs_and_SIGTERM_leaves_no_worker_process()
    {
        using var app = AppProcess.Start(AppProcess.Built("samples/Echo", "Echo.dll"), "dev", "--port", "0", "--data", TempData(), "--api-key", "test-key", "--quiet");
        var address = (await app.WaitForAsync(@"listening on (http://\S+)")).Groups[1].Value;
        await app.WaitForAsync("^Ready in");
        var workers = app.WorkerPids;
        Assert.Equal(5, workers.Count); // one warm worker per endpoint: echo, echo-stream, echo-cold, fanout, agent

        using var client = new HearthClient(new Uri(address + "/v2"), "test-key");
        var echo = await client.Endpoint("echo").RunSyncAsync<EchoInput, EchoInput>(new EchoInput("world"));
        Assert.True(echo.IsCompleted, echo.Error);
        Assert.Equal("world", echo.Output!.Hello);

        var stream = await client.Endpoint("echo-stream").RunAsync(new StreamInput(3));
        var chunks = new List<int>();
        await foreach (var c in client.Endpoint("echo-stream").StreamAsync<Chunk>(stream.Id))
        {
            chunks.Add(c.I);
        }

        Assert.Equal([0, 1, 2], chunks);

        var failed = await client.Endpoint("echo").RunSyncAsync<JsonElement, JsonElement>(JsonSerializer.SerializeToElement(new { fail = "boom" }));
        Assert.Equal("FAILED", failed.Status);
        Assert.Contains("boom", failed.Error);

        // A handler fans out to another endpoint; a call that outlives its own timeout fails the caller with its name.
        var fanout = await client.Endpoint("fanout").RunSyncAsync<JsonElement, JsonElement>(JsonSerializer.SerializeToElement(new { words = new[] { "a", "b", "c" } }));
        Assert.True(fanout.IsCompleted, fanout.Error);
        Assert.Equal("""["a","b","c"]""", fanout.Output.GetProperty("words").GetRawText());
        var slow = await client.Endpoint("fanout").RunSyncAsync<JsonElement, JsonElement>(
            JsonSerializer.SerializeToElement(new { words = new[] { "x" }, sleep_ms = 20_000, call_timeout_ms = 1_500 }));
        Assert.Equal("FAILED", slow.Status);
        Assert.Contains("call echo timed out after 1.5 s", slow.Error);

        // Three calls, one callee hangs: two answers and one typed timeout, within the call's own timeout (echo scales
        // up from one worker after 4 s of queue delay, so the call queued behind the hung one still gets a worker).
        var partial = await client.Endpoint("fanout").RunSyncAsync<JsonElement, JsonElement>(
            JsonSerializer.SerializeToElement(new { words = new[] { "a", "b", "c" }, hang_word = "b", call_timeout_ms = 8_000, tolerant = true }));
        Assert.True(partial.IsCompleted, partial.Error);
        Assert.Equal("""["a","TIMED_OUT","c"]""", partial.Output.GetProperty("words").GetRawText());

        app.Signal("TERM");
        Assert.Equal(0, await app.WaitForExitAsync());
        Assert.All(workers, pid => Assert.False(AppProcess.IsAlive(pid), $"worker pid {pid} survived hearth dev"));
    }

    [Fact]
    public async Task A_python_command_worker_from_hearth_yaml_completes_jobs()
    {
        using var app = AppProcess.Start(AppProcess.Built("src/Hearth.Cli", "hearth.dll"), "dev", "--config", "samples/python-worker/hearth.yaml", "--port", "0", "--data", TempData(), "--api-key", "test-key");
        var address = (await app.WaitForAsync(@"listening on (http://\S+)")).Groups[1].Value;
        await app.WaitForAsync("^Ready in");

        using var client = new HearthClient(new Uri(address + "/v2"), "test-key");
        var result = await client.Endpoint("py-echo").RunSyncAsync<EchoInput, EchoInput>(new EchoInput("python"));
        Assert.True(result.IsCompleted, result.Error);
        Assert.Equal("python", result.Output!.Hello);
        Assert.StartsWith("py-echo-", result.WorkerId);

        app.Signal("INT");
        Assert.Equal(0, await app.WaitForExitAsync());
        Assert.All(app.WorkerPids, pid => Assert.False(AppProcess.IsAlive(pid)));
    }

    [Fact]
    public async Task A_volume_is_a_directory_under_the_data_dir_given_to_every_worker()
    {
        var data = TempData();
        var yaml = Path.Combine(Path.GetTempPath(), $"hearth-vol-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(yaml, $$"""
            endpoints:
              - name: weights
                cpu: cpu3c-1-2
                workers: [1, 1]
                volume: { name: model-weights, size: 50 }
                command: python3 -u {{Path.Combine(Server.Tests.Fixtures.WorkerProcess.RepoRoot(), "samples", "python-worker", "worker.py")}}
            """);
        using var app = AppProcess.Start(AppProcess.Built("src/Hearth.Cli", "hearth.dll"), "dev", "--config", yaml, "--port", "0", "--data", data, "--api-key", "k", "--admin-key", "a");
        var address = (await app.WaitForAsync(@"listening on (http://\S+)")).Groups[1].Value;
        await app.WaitForAsync("^Ready in");

        using var client = new HearthClient(new Uri(address + "/v2"), "k");
        var result = await client.Endpoint("weights").RunSyncAsync<JsonElement, JsonElement>(JsonSerializer.SerializeToElement(new { echo_env = "HEARTH_VOLUME_PATH" }));
        var expected = Path.Combine(Path.GetFullPath(data), "volumes", "model-weights");
        Assert.Equal(expected, result.Output.GetProperty("env").GetString());
        Assert.True(Directory.Exists(expected));

        using var admin = new HttpClient { BaseAddress = new Uri(address) };
        admin.DefaultRequestHeaders.Authorization = new("Bearer", "a");
        var endpoint = JsonDocument.Parse(await admin.GetStringAsync("/api/endpoints/weights")).RootElement;
        Assert.Equal(50, endpoint.GetProperty("volume").GetProperty("sizeGb").GetInt32());
        Assert.Equal(expected, endpoint.GetProperty("volume").GetProperty("path").GetString());
    }

    [Fact]
    public async Task An_invalid_hearth_yaml_stops_dev_with_every_problem_listed()
    {
        var yaml = Path.Combine(Path.GetTempPath(), $"hearth-bad-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(yaml, """
            endpoints:
              - name: Bad_Name
                workers: [5, 2]
                cpu: cpu5c-4-8
                gpu: any
            """);
        using var app = AppProcess.Start(AppProcess.Built("src/Hearth.Cli", "hearth.dll"), "dev", "--config", yaml, "--port", "0", "--data", TempData());
        Assert.Equal(2, await app.WaitForExitAsync());
        Assert.Contains("endpoints[0].name", app.Output);
        Assert.Contains("endpoints[0].workers", app.Output);
        Assert.Contains("problem(s)", app.Output);
    }
}

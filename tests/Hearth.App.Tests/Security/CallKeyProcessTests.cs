using System.Text.Json;
using Hearth.App.Tests.Hosting;
using Hearth.Client;

namespace Hearth.App.Tests.Security;

/// <summary>
/// Least privilege for workers under a real `hearth dev`: a handler's call key may run and read jobs on the endpoints
/// its definition declares (`calls:`), and nothing else — no purge or cancel there, no access to any other endpoint —
/// and an endpoint that declares no callees gets no call key at all.
/// </summary>
public sealed class CallKeyProcessTests
{
    private const string Config = """
        endpoints:
          - name: agent
            cpu: cpu3c-1-2
            workers: [1, 1]
            calls: [tool]
            command: python3 -u {worker}
          - name: tool
            cpu: cpu3c-1-2
            workers: [0, 1]
            command: python3 -u {worker}
          - name: private
            cpu: cpu3c-1-2
            workers: [0, 1]
            command: python3 -u {worker}
        """;

    private sealed record Call(string Method, string Path, object? Body = null);

    private sealed record CallInput(Call Call_api);

    [Fact]
    public async Task A_workers_call_key_reaches_only_its_declared_callees_and_only_to_run_and_read()
    {
        var dir = Path.Combine(Path.GetTempPath(), "hearth-callkey-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        var worker = Path.Combine(Hearth.Server.Tests.Fixtures.WorkerProcess.RepoRoot(), "samples", "python-worker", "worker.py");
        var config = Path.Combine(dir, "hearth.yaml");
        await File.WriteAllTextAsync(config, Config.Replace("{worker}", worker, StringComparison.Ordinal));
        using var app = AppProcess.Start(AppProcess.Built("src/Hearth.Cli", "hearth.dll"),
            "dev", "--config", config, "--port", "0", "--data", Path.Combine(dir, "data"), "--api-key", "k");
        var address = (await app.WaitForAsync(@"listening on (http://\S+)")).Groups[1].Value;
        await app.WaitForAsync("^Ready in");
        using var client = new HearthClient(new Uri(address + "/v2"), "k");
        var privateJob = await client.Endpoint("private").RunAsync(new { hang = true });

        async Task<int?> StatusOf(string endpoint, Call call)
        {
            var result = await client.Endpoint(endpoint).RunSyncAsync<CallInput, JsonElement>(new CallInput(call));
            Assert.True(result.Status == "COMPLETED", $"{endpoint} {call}: {result.Status} {result.Error}");
            var status = result.Output.GetProperty("status");
            return status.ValueKind == JsonValueKind.Null ? null : status.GetInt32();
        }

        // The agent may submit to and read its callee…
        Assert.Equal(200, await StatusOf("agent", new Call("POST", "/tool/run", new { input = new { x = 1 } })));
        Assert.Equal(200, await StatusOf("agent", new Call("GET", "/tool/health")));

        // …but not purge or cancel there, nor touch another endpoint at all (404: it does not exist for this key).
        Assert.Equal(403, await StatusOf("agent", new Call("POST", "/tool/purge-queue")));
        Assert.Equal(403, await StatusOf("agent", new Call("POST", $"/tool/cancel/{privateJob.Id}")));
        Assert.Equal(404, await StatusOf("agent", new Call("GET", $"/private/status/{privateJob.Id}")));
        Assert.Equal(404, await StatusOf("agent", new Call("POST", "/private/purge-queue")));
        Assert.Equal(404, await StatusOf("agent", new Call("POST", "/agent/purge-queue")));

        // An endpoint that declares no callees has no call key.
        Assert.Null(await StatusOf("tool", new Call("GET", "/tool/health")));
        Assert.Contains((await client.Endpoint("private").StatusAsync<JsonElement>(privateJob.Id)).Status,
            new[] { "IN_QUEUE", "IN_PROGRESS" });

        app.Signal("TERM");
        Assert.Equal(0, await app.WaitForExitAsync());
    }
}

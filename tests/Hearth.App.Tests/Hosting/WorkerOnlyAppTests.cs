using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Hearth.Server.Tests.Fixtures;

namespace Hearth.App.Tests.Hosting;

/// <summary>
/// A worker-only app (<c>samples/EchoWorker</c>: <c>WorkerMain.RunAsync</c> with source-generated contracts, the app
/// that is published with Native AOT) run by <c>hearth dev</c> as an endpoint's <c>command</c>: dev sees it ready,
/// it serves jobs, a handler failure becomes a FAILED job with the error, and SIGTERM drains it.
/// </summary>
public sealed class WorkerOnlyAppTests
{
    [Fact]
    public async Task A_worker_only_app_runs_as_an_endpoint_command_serves_fails_cleanly_and_drains()
    {
        var dir = Directory.CreateTempSubdirectory("hearth-worker-only-").FullName;
        var worker = AppProcess.Built("samples/EchoWorker", "EchoWorker.dll");
        var yaml = Path.Combine(dir, "hearth.yaml");
        File.WriteAllText(yaml, $"""
            endpoints:
              - name: aot-echo
                cpu: cpu3c-1-2
                workers: [1, 1]
                command: dotnet {worker}
            """);
        using var app = AppProcess.Start(AppProcess.Built("src/Hearth.Cli", "hearth.dll"),
            ["dev", "--config", yaml, "--port", "0", "--data", Path.Combine(dir, "data"), "--api-key", "k"]);
        var address = (await app.WaitForAsync(@"listening on (http://\S+)")).Groups[1].Value;
        await app.WaitForAsync("^Ready in", 60);

        using var client = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "k");
        using (var done = await client.PostAsync("/v2/aot-echo/runsync",
            TestServer.Json("""{"input":{"word":"moved over","sleep_ms":5}}""")))
        {
            var body = JsonNode.Parse(await done.Content.ReadAsStringAsync())!;
            Assert.Equal("COMPLETED", (string?)body["status"]);
            Assert.Equal("moved over", (string?)body["output"]!["word"]);
        }

        using (var failed = await client.PostAsync("/v2/aot-echo/runsync",
            TestServer.Json("""{"input":{"fail":"it's broken"}}""")))
        {
            var body = JsonNode.Parse(await failed.Content.ReadAsStringAsync())!;
            Assert.Equal("FAILED", (string?)body["status"]);
            Assert.Contains("it's broken", body["error"]!.ToJsonString().Replace("\\u0027", "'", StringComparison.Ordinal),
                StringComparison.Ordinal);
        }

        app.Signal("TERM");
        Assert.Equal(0, await app.WaitForExitAsync(60));
        Directory.Delete(dir, recursive: true);
    }
}

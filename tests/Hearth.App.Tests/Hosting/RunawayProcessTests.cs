using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Hearth.Server.Tests.Fixtures;
using Hearth.Testing;
using Xunit.Abstractions;

namespace Hearth.App.Tests.Hosting;

/// <summary>The seed's third problem: a job that hangs and ignores its stop signal must not pin a worker forever.</summary>
public sealed class RunawayProcessTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_worker_that_keeps_running_a_timed_out_job_is_killed_and_replaced()
    {
        using var app = AppProcess.Start(AppProcess.Built("samples/Echo", "Echo.dll"), "dev", "--port", "0",
            "--data", Path.Combine(Path.GetTempPath(), "hearth-runaway-" + Guid.NewGuid().ToString("N")), "--api-key", "k", "--admin-key", "a", "--quiet");
        var address = (await app.WaitForAsync(@"listening on (http://\S+)")).Groups[1].Value;
        await app.WaitForAsync("^Ready in");
        using var client = new HttpClient { BaseAddress = new Uri(address) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "k");
        using var admin = new HttpClient { BaseAddress = new Uri(address) };
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "a");

        var clock = Stopwatch.StartNew();
        var run = await client.PostAsync("/v2/echo/run", TestServer.Json("""{"input":{"hang":true,"ignore_cancel":true},"policy":{"executionTimeout":5000}}"""));
        var id = (string)JsonNode.Parse(await run.Content.ReadAsStringAsync())!["id"]!;
        var stuckOn = await Eventually.ValueAsync(async () => JsonNode.Parse(await client.GetStringAsync($"/v2/echo/status/{id}"))!["workerId"]?.GetValue<string>(), "a worker to take the job");

        var status = await Eventually.ValueAsync(async () =>
        {
            var s = JsonNode.Parse(await client.GetStringAsync($"/v2/echo/status/{id}"))!;
            return (string?)s["status"] == "TIMED_OUT" ? s : null;
        }, "the job to time out");
        Assert.Contains("execution timeout", (string?)status["error"]);
        var timedOutAt = clock.Elapsed;

        var replaced = await Eventually.ValueAsync(async () =>
        {
            var e = JsonNode.Parse(await admin.GetStringAsync("/api/endpoints/echo"))!;
            var ids = e["workers"]!.AsArray().Select(w => (string)w!["id"]!).ToList();
            return ids.Count == 1 && ids[0] != stuckOn && (string?)e["workers"]![0]!["state"] != "Initializing" ? e : null;
        }, "the runaway worker to be replaced", seconds: 40);
        var replacedAt = clock.Elapsed;
        output.WriteLine($"timed out after {timedOutAt.TotalSeconds:0.0} s; worker replaced after {replacedAt.TotalSeconds:0.0} s (execution timeout 5 s + grace 10 s)");
        Assert.Contains($"killed worker {stuckOn}", app.Output);
        Assert.Contains($"worker {stuckOn} still running job {id}", (string?)replaced["reason"]);

        // The replacement serves jobs.
        var next = JsonNode.Parse(await (await client.PostAsync("/v2/echo/runsync", TestServer.Json("""{"input":{"after":"runaway"}}"""))).Content.ReadAsStringAsync())!;
        Assert.Equal("COMPLETED", (string?)next["status"]);
    }
}

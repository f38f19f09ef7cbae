using System.Text;
using System.Text.Json.Nodes;
using Hearth.Testing;
using Xunit.Abstractions;

namespace Hearth.App.Tests.Cluster;

/// <summary>
/// The seed's runaway job in cluster mode (issue 17): a handler that ignores its stop signal past the timeout must not
/// pin its worker forever — the scheduler leader orders the worker's node agent to kill it and places a replacement.
/// </summary>
public sealed class ClusterRunawayTests(ITestOutputHelper output)
{
    [SkippableFact]
    public async Task A_worker_that_keeps_running_a_timed_out_job_is_killed_by_its_node_and_replaced()
    {
        var why = NetworkNamespace.Unavailable();
        Skip.If(why is not null, $"needs network namespaces: {why}");
        using var c = await TestCluster.StartAsync();
        using var client = c.R1.Client(TestCluster.Key);
        await Eventually.ValueAsync(async () => Workers(await c.R1.ClusterAsync()).Count == 2 ? "two" : null,
            "both workers to be placed", 30);

        using var run = await client.PostAsync("/v2/echo/run", Json(
            """{"input":{"hang":true,"ignore_stop":true},"policy":{"executionTimeout":5000}}"""));
        var accepted = await run.Content.ReadAsStringAsync();
        Assert.True(run.IsSuccessStatusCode, accepted);
        var id = JsonNode.Parse(accepted)!["id"]!.GetValue<string>();
        var stuckOn = await Eventually.ValueAsync(async () =>
            JsonNode.Parse(await client.GetStringAsync($"/v2/echo/status/{id}"))!["workerId"]?.GetValue<string>(),
            "a worker to take the runaway job", 30);
        await Eventually.ValueAsync(async () =>
            JsonNode.Parse(await client.GetStringAsync($"/v2/echo/status/{id}"))!["status"]!.GetValue<string>()
                == "TIMED_OUT" ? "timed out" : null, "the job to time out", 30);

        // Grace 10 s after the stop, then the kill, the node's exit report and a replacement placed.
        var replaced = await Eventually.ValueAsync(async () =>
        {
            var cluster = await c.R1.ClusterAsync();
            var workers = Workers(cluster);
            var gone = !Workers(cluster, killedToo: true).Contains(stuckOn); // its node reported the exit
            return workers.Count == 2 && gone ? workers : null;
        }, $"runaway worker {stuckOn} to be killed and replaced", 60);
        output.WriteLine($"runaway {stuckOn} replaced; workers now {string.Join(", ", replaced)}");

        var nodes = c.NodeA.Output + c.NodeB.Output;
        Assert.Contains($"killing worker {stuckOn}: still running job {id}", nodes);
        var replicas = c.R1.App.Output + c.R2.App.Output;
        Assert.Contains($"killed worker {stuckOn} on node", replicas);

        using var next = await client.PostAsync("/v2/echo/runsync", Json("""{"input":{"after":"runaway"}}"""));
        Assert.Equal("COMPLETED", JsonNode.Parse(await next.Content.ReadAsStringAsync())!["status"]!.GetValue<string>());
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    /// <summary>The assigned workers; those ordered killed only with <paramref name="killedToo"/>.</summary>
    private static List<string> Workers(JsonObject cluster, bool killedToo = false) =>
        [.. cluster["workers"]!.AsArray().Where(w => killedToo || w!["killed"] is null)
            .Select(w => w!["workerId"]!.GetValue<string>())];
}

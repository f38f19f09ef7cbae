using System.Text;
using System.Text.Json.Nodes;
using Hearth.App.Tests.Hosting;
using Hearth.Testing;
using Xunit.Abstractions;

namespace Hearth.App.Tests.Cluster;

/// <summary>
/// A worker command that exits at start, in cluster mode (issue 17): the one scheduler counts the exits its nodes
/// report, backs off and never places more workers than the max across nodes, and every replica — not only the
/// leader — says the endpoint is Unhealthy with the exit code and the command's last output, and why a queued job
/// waits.
/// </summary>
public sealed class ClusterCrashLoopTests(ITestOutputHelper output)
{
    [SkippableFact]
    public async Task A_command_that_exits_at_start_never_runs_more_than_the_max_across_nodes_and_every_replica_says_why()
    {
        var why = NetworkNamespace.Unavailable();
        Skip.If(why is not null, $"needs network namespaces: {why}");
        var crash = new CrashingCommand(Directory.CreateTempSubdirectory("hearth-cluster-crash-").FullName);
        using var c = await TestCluster.StartAsync(moreEndpoints: $"""

              - name: crashy
                cpu: cpu3c-1-2
                workers: [1, 2]
                command: {crash.Command}
            """);

        // Submitted to replica 1; replica 2 leads the scheduler.
        using var client = c.R1.Client(TestCluster.Key);
        using var run = await client.PostAsync("/v2/crashy/run",
            new StringContent("""{"input":{"n":1}}""", Encoding.UTF8, "application/json"));
        var accepted = await run.Content.ReadAsStringAsync();
        Assert.True(run.IsSuccessStatusCode, accepted);
        var id = JsonNode.Parse(accepted)!["id"]!.GetValue<string>();

        // Six starts take over 30 s of backoff (1, 2, 4, 8, 16 s) across both nodes.
        await Eventually.ValueAsync(() => Task.FromResult(crash.Runs().Count >= 6 ? "six" : null),
            "the crashing command to have been started six times", 150);
        var most = crash.MostAtOnce();
        output.WriteLine($"{crash.Runs().Count} runs, at most {most} at once");
        Assert.True(most <= 2, $"{most} worker processes ran at once (max 2); runs: {string.Join(", ", crash.Runs())}");

        foreach (var replica in new[] { c.R1, c.R2 })
        {
            using var admin = replica.Client(TestCluster.Admin);
            var endpoint = JsonNode.Parse(await admin.GetStringAsync("/api/endpoints/crashy"))!.AsObject();
            Assert.Equal("Unhealthy", (string?)endpoint["state"]);
            var reason = (string?)endpoint["reason"] ?? string.Empty;
            Assert.Contains("exited with code 3", reason);
            Assert.Contains(CrashingCommand.Fatal, reason);

            using var asker = replica.Client(TestCluster.Key);
            var status = JsonNode.Parse(await asker.GetStringAsync($"/v2/crashy/status/{id}"))!.AsObject();
            Assert.Equal("IN_QUEUE", (string?)status["status"]);
            var waiting = (string?)status["waiting"] ?? string.Empty;
            Assert.StartsWith("endpoint crashy is Unhealthy", waiting);
            Assert.Contains("exited with code 3", waiting);
        }

        Assert.Contains("crashy: Unhealthy:", c.R2.App.Output);
    }
}

using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Hearth.Server.Tests.Fixtures;
using Hearth.Testing;

namespace Hearth.App.Tests.Hosting;

/// <summary>
/// A worker command that exits at start (a missing model, a typo in the command), as a user meets it in `hearth dev`:
/// the scheduler restarts it with backoff and never runs more workers than the max, the endpoint says
/// Unhealthy with the exit code and the command's last output, and a queued job's /status says why it waits.
/// </summary>
public sealed class CrashLoopProcessTests
{
    private const string Admin = "test-admin";
    private const string Key = "test-key";

    [Fact]
    public async Task A_command_that_exits_at_start_never_runs_more_workers_than_the_max_and_says_why()
    {
        var dir = Directory.CreateTempSubdirectory("hearth-crashloop-").FullName;
        var crash = new CrashingCommand(dir);
        var yaml = Path.Combine(dir, "hearth.yaml");
        File.WriteAllText(yaml, $"""
            endpoints:
              - name: crashy
                cpu: cpu3c-1-2
                workers: [1, 2]
                command: {crash.Command}
            """);
        using var app = AppProcess.Start(AppProcess.Built("src/Hearth.Cli", "hearth.dll"),
            ["dev", "--config", yaml, "--port", "0", "--data", Path.Combine(dir, "data"),
             "--api-key", Key, "--admin-key", Admin, "--quiet"]);
        var address = (await app.WaitForAsync(@"listening on (http://\S+)")).Groups[1].Value;
        using var admin = Http(address, Admin);
        using var client = Http(address, Key);

        using var submitted = await client.PostAsync("/v2/crashy/run", TestServer.Json("""{"input":{"n":1}}"""));
        var id = JsonNode.Parse(await submitted.Content.ReadAsStringAsync())!["id"]!.GetValue<string>();

        // Six starts take over 30 s of backoff (1, 2, 4, 8, 16 s): long enough for a scheduler that adds workers on
        // every tick to have exceeded the max many times over.
        await Eventually.ValueAsync(() => Task.FromResult(crash.Runs().Count >= 6 ? "six" : null),
            "the crashing command to have been started six times", 120);
        var most = crash.MostAtOnce();
        Assert.True(most <= 2, $"{most} worker processes ran at once (max 2); runs: {string.Join(", ", crash.Runs())}");

        var endpoint = JsonNode.Parse(await admin.GetStringAsync("/api/endpoints/crashy"))!.AsObject();
        Assert.Equal("Unhealthy", (string?)endpoint["state"]);
        var reason = (string?)endpoint["reason"] ?? string.Empty;
        Assert.Contains("exited with code 3", reason);
        Assert.Contains(CrashingCommand.Fatal, reason);

        var status = JsonNode.Parse(await client.GetStringAsync($"/v2/crashy/status/{id}"))!.AsObject();
        Assert.Equal("IN_QUEUE", (string?)status["status"]);
        var waiting = (string?)status["waiting"] ?? string.Empty;
        Assert.StartsWith("endpoint crashy is Unhealthy", waiting);
        Assert.Contains("exited with code 3", waiting);
    }

    private static HttpClient Http(string address, string key)
    {
        var http = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return http;
    }
}

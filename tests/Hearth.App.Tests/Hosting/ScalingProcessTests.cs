using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Hearth.Server.Tests.Fixtures;
using Hearth.Store.Tests.Fixtures;
using Hearth.Testing;

namespace Hearth.App.Tests.Hosting;

/// <summary>Autoscaling as a user watches it: real `hearth dev` processes, real worker processes, the admin
/// API.</summary>
public sealed class ScalingProcessTests
{
    private const string Admin = "test-admin";
    private const string Key = "test-key";

    private static string Yaml(string body)
    {
        var path = Path.Combine(Path.GetTempPath(), $"hearth-scale-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, body.Replace("WORKER", Path.Combine(WorkerProcess.RepoRoot(), "samples", "python-worker", "worker.py")));
        return path;
    }

    private static AppProcess Dev(string yaml, params string[] extra) =>
        AppProcess.Start(AppProcess.Built("src/Hearth.Cli", "hearth.dll"),
            ["dev", "--config", yaml, "--port", "0", "--data", Path.Combine(Path.GetTempPath(), "hearth-scale-" + Guid.NewGuid().ToString("N")),
             "--api-key", Key, "--admin-key", Admin, "--quiet", .. extra]);

    private static HttpClient Http(string address, string key)
    {
        var http = new HttpClient { BaseAddress = new Uri(address) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return http;
    }

    private static async Task<JsonObject> EndpointAsync(HttpClient admin, string name) =>
        JsonNode.Parse(await admin.GetStringAsync($"/api/endpoints/{name}"))!.AsObject();

    /// <summary>Polls the admin API until the condition holds; returns that body.</summary>
    private static Task<JsonObject> WaitAsync(HttpClient admin, string name, Func<JsonObject, bool> condition, int seconds = 60) =>
        Eventually.ValueAsync(async () => await EndpointAsync(admin, name) is { } e && condition(e) ? e : null, $"endpoint {name} to reach the expected state", seconds);

    private static int Workers(JsonObject e) => e["workers"]!.AsArray().Count;

    /// <summary>
    /// A check that something does NOT happen, made sound: polls the endpoint until its one worker has been Idle for
    /// <paramref name="idleFor"/> by the host's own record (its <c>since</c>, which is what the scaling policy compares
    /// with the idle timeout on every 1 s tick), failing at once if the worker goes or changes. Once the worker has
    /// been idle well past the idle timeout, the scheduler has had several ticks in which it would have retired it.
    /// </summary>
    private static async Task<JsonObject> StaysIdleAsync(
        HttpClient admin, string name, TimeSpan idleFor, int seconds = 30)
    {
        var deadline = DateTimeOffset.UtcNow.AddSeconds(seconds);
        string? id = null;
        for (var observation = 1; ; observation++)
        {
            var e = await EndpointAsync(admin, name);
            Assert.True(Workers(e) == 1, $"observation {observation}: {name} has {Workers(e)} workers, not 1: {e}");
            var worker = e["workers"]![0]!;
            id ??= (string?)worker["id"];
            Assert.True(id == (string?)worker["id"], $"observation {observation}: worker {id} was replaced: {e}");
            var idle = (string?)worker["state"] == "Idle"
                ? DateTimeOffset.UtcNow - worker["since"]!.GetValue<DateTimeOffset>()
                : TimeSpan.Zero;
            if (idle >= idleFor && observation >= 3)
            {
                return e;
            }

            if (DateTimeOffset.UtcNow > deadline)
            {
                throw new TimeoutException(
                    $"Waited {seconds} s for worker {id} of {name} to be idle {idleFor.TotalSeconds} s; last: {e}");
            }

            await Task.Delay(200); // the polling interval, not a wait for anything
        }
    }

    [Fact]
    public async Task A_0_to_3_endpoint_scales_up_under_a_burst_and_back_to_zero_after_it()
    {
        using var app = Dev(Yaml("""
            endpoints:
              - name: burst
                cpu: cpu3c-1-2
                workers: [0, 3]
                idle_timeout: 2
                command: python3 -u WORKER
            """));
        var address = (await app.WaitForAsync(@"listening on (http://\S+)")).Groups[1].Value;
        await app.WaitForAsync("^Ready in");
        using var admin = Http(address, Admin);
        using var client = Http(address, Key);

        // The warm start-up worker is above min 0: it goes after the idle timeout.
        await WaitAsync(admin, "burst", e => Workers(e) == 0);

        for (var i = 0; i < 30; i++)
        {
            (await client.PostAsync("/v2/burst/run", TestServer.Json("""{"input":{"sleep_ms":1000}}"""))).EnsureSuccessStatusCode();
        }

        await WaitAsync(admin, "burst", e => Workers(e) == 3);
        var drained = await WaitAsync(admin, "burst", e => Workers(e) == 0 && (int)e["queue"]!["inQueue"]! == 0);
        Assert.Equal("Idle", (string?)drained["state"]);
        var health = JsonNode.Parse(await client.GetStringAsync("/v2/burst/health"))!;
        Assert.Equal(30, (int)health["jobs"]!["completed"]!);
        Assert.Contains("scale from zero", app.Output);
        Assert.Contains("idle timeout 2 s", app.Output);
    }

    [Fact]
    public async Task A_1_to_3_endpoint_keeps_one_warm_worker_so_its_first_job_pays_no_cold_start()
    {
        using var app = Dev(Yaml("""
            endpoints:
              - name: warm
                cpu: cpu3c-1-2
                workers: [1, 3]
                idle_timeout: 1
                command: python3 -u WORKER
            """));
        var address = (await app.WaitForAsync(@"listening on (http://\S+)")).Groups[1].Value;
        await app.WaitForAsync("^Ready in");
        using var admin = Http(address, Admin);
        using var client = Http(address, Key);
        var before = await WaitAsync(admin, "warm", e => Workers(e) == 1 && (string?)e["workers"]![0]!["state"] == "Idle");

        // Several idle timeouts later, the minimum still stands: the worker has been idle for the idle timeout (1 s)
        // plus 3 scheduler ticks (1 s each), so the policy had 3 chances to retire it, and it is still the same one.
        await app.WaitForAsync("cold start", seconds: 10);
        var later = await StaysIdleAsync(admin, "warm", TimeSpan.FromSeconds(1 + 3));
        var warmId = (string?)later["workers"]![0]!["id"];
        Assert.Equal((string?)before["workers"]![0]!["id"], warmId);

        var done = JsonNode.Parse(await (await client.PostAsync("/v2/warm/runsync", TestServer.Json("""{"input":{"x":1}}"""))).Content.ReadAsStringAsync())!;
        Assert.Equal("COMPLETED", (string?)done["status"]);
        Assert.Equal(warmId, (string?)done["workerId"]);
        Assert.Equal((int)before["coldStart"]!["count"]!, (int)(await EndpointAsync(admin, "warm"))["coldStart"]!["count"]!);
    }

    [Fact]
    public async Task A_worker_command_that_exits_at_once_makes_the_endpoint_unhealthy_with_its_stderr()
    {
        using var app = Dev(Yaml("""
            endpoints:
              - name: broken
                cpu: cpu3c-1-2
                workers: [1, 2]
                command: echo 'cannot load model weights from /models/llama' >&2; exit 3
            """));
        var address = (await app.WaitForAsync(@"listening on (http://\S+)")).Groups[1].Value;
        using var admin = Http(address, Admin);
        var unhealthy = await WaitAsync(admin, "broken", e => (string?)e["state"] == "Unhealthy", seconds: 30);
        var reason = (string?)unhealthy["reason"];
        Assert.Contains("3", reason);
        Assert.Contains("cannot load model weights", reason);
    }

    [Fact]
    public async Task Two_control_planes_on_one_redis_never_both_scale()
    {
        using var redis = new RedisServerFixture();
        var yaml = Yaml("""
            endpoints:
              - name: shared
                cpu: cpu3c-1-2
                workers: [0, 2]
                idle_timeout: 1
                command: python3 -u WORKER
            """);
        using var first = Dev(yaml, "--store", redis.Url, "--durability", "memory");
        using var second = Dev(yaml, "--store", redis.Url, "--durability", "memory");
        await first.WaitForAsync(@"listening on (http://\S+)");
        await second.WaitForAsync(@"listening on (http://\S+)");

        // One leads: it starts the warm worker and, once idle past the timeout (1 s), retires it.
        var leader = await Eventually.ValueAsync(
            () => Task.FromResult(new[] { first, second }.FirstOrDefault(p => p.Output.Contains("-1 worker"))),
            "one control plane to start its warm worker and retire it", 60);
        var follower = leader == first ? second : first;
        Assert.Contains("this control plane leads now", leader.Output);

        // The follower ticks every second too, and would have started its own warm worker on its first tick: it
        // started none and decided nothing.
        Assert.DoesNotContain("starting worker", follower.Output);
        Assert.DoesNotContain("worker(s)", follower.Output);

        // The leader dies: the follower takes the leadership once its lease (5 s) runs out, and starts scaling.
        leader.Signal("KILL");
        await follower.WaitForAsync("this control plane leads now", 30);
        await follower.WaitForAsync("-1 worker", 30);
    }
}

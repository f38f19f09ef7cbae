using System.Net;
using Hearth.Server.Hosting;
using Hearth.Server.Tests.Fixtures;

namespace Hearth.Server.Tests.Api;

/// <summary>Shapes, errors and limits of the client API (spec §1), over real HTTP with no worker attached.</summary>
public sealed class ClientApiTests(GarnetStoreFixture store) : IClassFixture<GarnetStoreFixture>
{
    private Task<TestServer> StartAsync(out string ep)
    {
        var name = GarnetStoreFixture.UniqueEndpoint("api");
        ep = name;
        return TestServer.StartAsync(store.Host, o => o.Endpoints.Add(new EndpointOptions { Name = name }));
    }

    [Fact]
    public async Task Run_answers_200_with_id_and_IN_QUEUE_and_status_shows_the_job()
    {
        await using var server = await StartAsync(out var ep);
        var response = await server.Client.PostAsync($"/v2/{ep}/run", TestServer.Json("""{"input":{"prompt":"hi"}}"""));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await TestServer.ReadAsync(response);
        Assert.Equal(["id", "status"], body.Select(p => p.Key));
        Assert.Equal("IN_QUEUE", (string?)body["status"]);

        var status = await server.StatusAsync(ep, (string)body["id"]!);
        Assert.Equal(["id", "status"], status.Select(p => p.Key));
    }

    [Fact]
    public async Task A_client_cannot_ask_for_more_than_the_operators_ceilings()
    {
        var ep = GarnetStoreFixture.UniqueEndpoint("ceil");
        await using var server = await TestServer.StartAsync(store.Host, o => o.Endpoints.Add(new EndpointOptions
        {
            Name = ep, MaxExecutionTimeoutMs = 3_600_000, MaxTtlMs = 86_400_000,
        }));
        var tooLong = await server.Client.PostAsync($"/v2/{ep}/run",
            TestServer.Json("""{"input":1,"policy":{"executionTimeout":7200000}}"""));
        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
        Assert.Contains("between 5000 and 3600000 (this endpoint's limit)",
            (string?)(await TestServer.ReadAsync(tooLong))["error"], StringComparison.Ordinal);
        var tooOld = await server.Client.PostAsync($"/v2/{ep}/run?ttl=172800000", TestServer.Json("""{"input":1}"""));
        Assert.Equal(HttpStatusCode.BadRequest, tooOld.StatusCode);
        var within = await server.Client.PostAsync($"/v2/{ep}/run",
            TestServer.Json("""{"input":1,"policy":{"executionTimeout":3600000,"ttl":86400000}}"""));
        Assert.Equal(HttpStatusCode.OK, within.StatusCode);
    }

    [Theory]
    [InlineData("not json", 400, "not valid JSON")]
    [InlineData("[1,2]", 400, "not an object")]
    [InlineData("""{"inputs":{}}""", 400, "no 'input'")]
    [InlineData("""{"input":1,"policy":{"executionTimeout":10}}""", 400, "policy.executionTimeout")]
    [InlineData("""{"input":1,"policy":{"ttl":"soon"}}""", 400, "policy.ttl")]
    [InlineData("""{"input":1,"policy":{"lowPriority":"yes"}}""", 400, "lowPriority")]
    [InlineData("""{"input":1,"webhook":"http://10.0.0.1/hook"}""", 400, "webhook")]
    [InlineData("", 400, "empty")]
    [InlineData("""{"input":1,"session_id":42}""", 400, "session_id")]
    [InlineData("""{"input":1,"session_id":""}""", 400, "session_id")]
    [InlineData("""{"input":1,"session_id":"job:abc"}""", 400, "may not begin with 'job:'")]
    public async Task Bad_submits_get_a_4xx_with_error_and_hint_and_create_nothing(string body, int status, string fragment)
    {
        await using var server = await StartAsync(out var ep);
        var response = await server.Client.PostAsync($"/v2/{ep}/run", TestServer.Json(body));
        Assert.Equal(status, (int)response.StatusCode);
        var error = await TestServer.ReadAsync(response);
        Assert.Contains(fragment, (string?)error["error"]);
        Assert.False(string.IsNullOrWhiteSpace((string?)error["hint"]));
        var health = await TestServer.ReadAsync(await server.Client.GetAsync($"/v2/{ep}/health"));
        Assert.Equal(0, (int)health["jobs"]!["inQueue"]!);
    }

    [Fact]
    public async Task Deeply_nested_json_is_refused()
    {
        await using var server = await StartAsync(out var ep);
        var deep = """{"input":""" + new string('[', 100) + new string(']', 100) + "}";
        var response = await server.Client.PostAsync($"/v2/{ep}/run", TestServer.Json(deep));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task A_body_over_10_MB_on_run_gets_413_but_runsync_takes_up_to_20_MB()
    {
        await using var server = await StartAsync(out var ep);
        var big = """{"input":" """ + new string('x', 11 * 1024 * 1024) + "\"}";
        var run = await server.Client.PostAsync($"/v2/{ep}/run", TestServer.Json(big));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, run.StatusCode);
        Assert.Contains("10 MB", (string?)(await TestServer.ReadAsync(run))["error"]);
        var sync = await server.AdvanceUntilAsync(server.Client.PostAsync($"/v2/{ep}/runsync?wait=1000", TestServer.Json(big)));
        Assert.Equal(HttpStatusCode.OK, sync.StatusCode);
    }

    [Theory]
    [InlineData("wait=999")]
    [InlineData("wait=300001")]
    [InlineData("wait=soon")]
    public async Task Runsync_refuses_a_wait_out_of_range(string query)
    {
        await using var server = await StartAsync(out var ep);
        var response = await server.Client.PostAsync($"/v2/{ep}/runsync?{query}", TestServer.Json("""{"input":1}"""));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("1000", (string?)(await TestServer.ReadAsync(response))["error"]);
    }

    [Fact]
    public async Task Runsync_that_does_not_finish_in_time_answers_200_with_a_non_final_status()
    {
        await using var server = await StartAsync(out var ep);
        var response = await server.AdvanceUntilAsync(server.Client.PostAsync($"/v2/{ep}/runsync?wait=1000", TestServer.Json("""{"input":1}""")));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await TestServer.ReadAsync(response);
        Assert.Equal("IN_QUEUE", (string?)body["status"]);
        Assert.StartsWith("sync-", (string?)body["id"]);
    }

    [Fact]
    public async Task Cancel_retry_and_purge_have_the_documented_shapes()
    {
        await using var server = await StartAsync(out var ep);
        var a = await server.RunAsync(ep, """{"input":1}""");
        await server.RunAsync(ep, """{"input":2}""");
        await server.RunAsync(ep, """{"input":3,"policy":{"lowPriority":true}}""");

        var cancel = await TestServer.ReadAsync(await server.Client.PostAsync($"/v2/{ep}/cancel/{a}", null));
        Assert.Equal("CANCELLED", (string?)cancel["status"]);
        var retry = await server.Client.PostAsync($"/v2/{ep}/retry/{a}", null);
        Assert.Equal(HttpStatusCode.Conflict, retry.StatusCode);
        Assert.Contains("only FAILED or TIMED_OUT", (string?)(await TestServer.ReadAsync(retry))["error"]);

        var purge = await TestServer.ReadAsync(await server.Client.PostAsync($"/v2/{ep}/purge-queue", null));
        Assert.Equal(2, (int)purge["removed"]!);
        Assert.Equal("completed", (string?)purge["status"]);

        var final = await server.StatusAsync(ep, a);
        Assert.Equal(["id", "status", "delayTime", "executionTime", "workerId"], final.Select(p => p.Key));
    }

    [Fact]
    public async Task Health_reports_all_five_job_and_six_worker_counters()
    {
        await using var server = await StartAsync(out var ep);
        var health = await TestServer.ReadAsync(await server.Client.GetAsync($"/v2/{ep}/health"));
        Assert.Equal(["completed", "failed", "inProgress", "inQueue", "retried"], health["jobs"]!.AsObject().Select(p => p.Key));
        Assert.Equal(["idle", "initializing", "ready", "running", "throttled", "unhealthy"], health["workers"]!.AsObject().Select(p => p.Key));
    }

    [Fact]
    public async Task Unknown_jobs_and_endpoints_answer_404_with_a_hint()
    {
        await using var server = await StartAsync(out var ep);
        var job = await server.Client.GetAsync($"/v2/{ep}/status/nope");
        Assert.Equal(HttpStatusCode.NotFound, job.StatusCode);
        var endpoint = await server.Client.PostAsync("/v2/missing/run", TestServer.Json("""{"input":1}"""));
        Assert.Equal(HttpStatusCode.NotFound, endpoint.StatusCode);
        Assert.Contains(ep, (string?)(await TestServer.ReadAsync(endpoint))["hint"]);
    }
}

using System.Net;
using Hearth.Server.Hosting;
using Hearth.Server.Tests.Fixtures;

namespace Hearth.Server.Tests.Api;

/// <summary>Key kinds stay apart (spec/reliability.md S1–S3): client keys, worker tokens, scoped keys.</summary>
public sealed class AuthTests(GarnetStoreFixture store) : IClassFixture<GarnetStoreFixture>
{
    [Theory]
    [InlineData(null)]
    [InlineData("Bearer wrong")]
    [InlineData("wrong")]
    public async Task Every_route_refuses_a_missing_or_unknown_key(string? authorization)
    {
        var ep = GarnetStoreFixture.UniqueEndpoint("auth");
        await using var server = await TestServer.StartAsync(store.Host, o => o.Endpoints.Add(new EndpointOptions { Name = ep }));
        using var http = server.Http(null);
        if (authorization is not null)
        {
            http.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", authorization);
        }

        string[] gets = ["status/x", "status-sync/x", "stream/x", "health", "job-take/w", "job-take-batch/w", "ping/w", "job-stop/w", "session-steps/w/x"];
        string[] posts = ["run", "runsync", "cancel/x", "retry/x", "purge-queue", "job-done/w/x", "job-stream/w/x", "job-release/w/x", "session-step/w/x"];
        foreach (var route in gets)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync($"/v2/{ep}/{route}")).StatusCode);
        }

        foreach (var route in posts)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await http.PostAsync($"/v2/{ep}/{route}", TestServer.Json("{}"))).StatusCode);
        }
    }

    [Fact]
    public async Task Raw_and_bearer_keys_both_work()
    {
        var ep = GarnetStoreFixture.UniqueEndpoint("auth");
        await using var server = await TestServer.StartAsync(store.Host, o => o.Endpoints.Add(new EndpointOptions { Name = ep }));
        using var raw = server.Http(null);
        raw.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", TestServer.ClientKey);
        Assert.Equal(HttpStatusCode.OK, (await raw.GetAsync($"/v2/{ep}/health")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await server.Client.GetAsync($"/v2/{ep}/health")).StatusCode);
    }

    [Fact]
    public async Task Worker_tokens_and_client_keys_cannot_use_each_others_routes()
    {
        var ep = GarnetStoreFixture.UniqueEndpoint("auth");
        await using var server = await TestServer.StartAsync(store.Host, o =>
        {
            o.Endpoints.Add(new EndpointOptions { Name = ep });
            o.Endpoints.Add(new EndpointOptions { Name = ep + "-b" });
            o.WorkerTokens.Add(new WorkerTokenOptions { Token = "hw_only_b", Endpoint = ep + "-b" });
        });
        using var worker = server.Http(TestServer.WorkerToken);
        Assert.Equal(HttpStatusCode.Forbidden, (await worker.PostAsync($"/v2/{ep}/run", TestServer.Json("""{"input":1}"""))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await server.Client.GetAsync($"/v2/{ep}/job-take/w")).StatusCode);
        using var scoped = server.Http("hw_only_b");
        Assert.Equal(HttpStatusCode.Forbidden, (await scoped.GetAsync($"/v2/{ep}/ping/w")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await scoped.GetAsync($"/v2/{ep}-b/ping/w")).StatusCode);
    }

    [Fact]
    public async Task A_key_scoped_to_another_endpoint_sees_404_for_this_ones_jobs()
    {
        var ep = GarnetStoreFixture.UniqueEndpoint("auth");
        await using var server = await TestServer.StartAsync(store.Host, o =>
        {
            o.Endpoints.Add(new EndpointOptions { Name = ep });
            o.Endpoints.Add(new EndpointOptions { Name = "other" });
        });
        var id = await server.RunAsync(ep, """{"input":1}""");
        using var other = server.Http(TestServer.OtherClientKey);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/v2/{ep}/status/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.PostAsync($"/v2/{ep}/cancel/{id}", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/v2/other/status/{id}")).StatusCode);
        Assert.Equal("IN_QUEUE", (string?)(await server.StatusAsync(ep, id))["status"]);
    }
}

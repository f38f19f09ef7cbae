using System.Net;
using Hearth.Server.Hosting;
using Hearth.Server.Tests.Fixtures;

namespace Hearth.Server.Tests.Api;

/// <summary>Key kinds stay apart (spec/reliability.md S1–S3): client keys, worker tokens, scoped keys. That every
/// route refuses a missing, unknown or wrong-kind key is <see cref="RouteAuthTests"/>.</summary>
public sealed class AuthTests(GarnetStoreFixture store) : IClassFixture<GarnetStoreFixture>
{
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

using System.Net;
using Hearth.Server.Hosting;
using Hearth.Server.Tests.Fixtures;

namespace Hearth.Server.Tests.Auth;

/// <summary>
/// Rate limits per key, endpoint and kind of route: over a limit the answer is 429 with Retry-After and a hint, the
/// request is not carried out, and other keys, endpoints and routes go on.
/// </summary>
public sealed class RateLimitTests(GarnetStoreFixture store) : IClassFixture<GarnetStoreFixture>
{
    private Task<TestServer> StartAsync(params string[] endpoints) => TestServer.StartAsync(store.Host, o =>
    {
        foreach (var e in endpoints)
        {
            o.Endpoints.Add(new EndpointOptions { Name = e });
        }

        o.RateLimits.Enabled = true;
        o.RateLimits.Window = TimeSpan.FromMinutes(5);
        o.RateLimits.Routes[RateClasses.RunSync] = new RouteRateLimit(100, 1);
        var other = new ClientKeyOptions { Key = "hk_second" };
        o.ClientKeys.Add(other);
    });

    [Fact]
    public async Task Over_the_purge_limit_the_answer_is_429_with_retry_after_and_the_queue_is_kept()
    {
        var ep = GarnetStoreFixture.UniqueEndpoint("limited");
        var other = GarnetStoreFixture.UniqueEndpoint("unlimited");
        await using var server = await StartAsync(ep, other);
        Assert.Equal(HttpStatusCode.OK, (await server.Client.PostAsync($"/v2/{ep}/purge-queue", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await server.Client.PostAsync($"/v2/{ep}/purge-queue", null)).StatusCode);
        var id = await server.RunAsync(ep, """{"input":1}""");

        var refused = await server.Client.PostAsync($"/v2/{ep}/purge-queue", null);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        var wait = refused.Headers.RetryAfter!.Delta!.Value;
        Assert.InRange(wait, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(5));
        var body = await TestServer.ReadAsync(refused);
        Assert.Contains("Rate limit of purge requests", (string)body["error"]!);
        Assert.Contains("Retry after", (string)body["hint"]!);
        Assert.Equal("IN_QUEUE", (string?)(await server.StatusAsync(ep, id))["status"]);

        // Another key, another endpoint and another route each have their own count.
        using var second = server.Http("hk_second");
        Assert.Equal(HttpStatusCode.OK, (await second.PostAsync($"/v2/{ep}/purge-queue", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await server.Client.PostAsync($"/v2/{other}/purge-queue", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await server.Client.GetAsync($"/v2/{ep}/status/{id}")).StatusCode);
    }

    [Fact]
    public async Task Runsync_waits_in_flight_are_capped_per_key_and_endpoint()
    {
        var ep = GarnetStoreFixture.UniqueEndpoint("waits");
        await using var server = await StartAsync(ep);

        // No worker: the first /runsync waits; a second from the same key is refused at once, not queued.
        var waiting = server.Client.PostAsync($"/v2/{ep}/runsync?wait=60000", TestServer.Json("""{"input":1}"""));
        await Hearth.Testing.Eventually.TrueAsync(async () =>
            (await server.Client.GetStringAsync($"/v2/{ep}/health")).Contains("\"inQueue\":1"),
            "the first runsync's job to be queued");
        var second = await server.Client.PostAsync($"/v2/{ep}/runsync", TestServer.Json("""{"input":2}"""));
        Assert.Equal(HttpStatusCode.TooManyRequests, second.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(1), second.Headers.RetryAfter!.Delta);
        Assert.False(waiting.IsCompleted);

        // The refused request queued nothing; another key may wait alongside.
        Assert.Contains("\"inQueue\":1", await server.Client.GetStringAsync($"/v2/{ep}/health"));
        using var other = server.Http("hk_second");
        var third = other.PostAsync($"/v2/{ep}/runsync?wait=60000", TestServer.Json("""{"input":3}"""));
        await Hearth.Testing.Eventually.TrueAsync(async () =>
            (await server.Client.GetStringAsync($"/v2/{ep}/health")).Contains("\"inQueue\":2"),
            "the other key's job to be queued");
        await server.AdvanceUntilAsync(waiting);
        await server.AdvanceUntilAsync(third);
    }
}

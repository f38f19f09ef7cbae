using System.Net;
using Hearth.Server.Hosting;
using Hearth.Server.Tests.Fixtures;

namespace Hearth.Server.Tests.Api;

/// <summary>A client that retries a submit (its replica died, the connection dropped) never creates a duplicate.</summary>
public sealed class IdempotencyTests(GarnetStoreFixture store) : IClassFixture<GarnetStoreFixture>
{
    [Fact]
    public async Task The_same_key_and_body_return_the_first_job_and_another_body_is_a_409()
    {
        var ep = GarnetStoreFixture.UniqueEndpoint("idem");
        await using var server = await TestServer.StartAsync(store.Host, o => o.Endpoints.Add(new EndpointOptions { Name = ep }));

        var first = await PostAsync(server, ep, "order-17", """{"input":{"n":1}}""");
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.False(first.Headers.Contains("Idempotent-Replayed"));
        var id = (string)(await TestServer.ReadAsync(first))["id"]!;

        var retry = await PostAsync(server, ep, "order-17", """{"input":{"n":1}}""");
        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        Assert.Equal("true", Assert.Single(retry.Headers.GetValues("Idempotent-Replayed")));
        var again = await TestServer.ReadAsync(retry);
        Assert.Equal(id, (string?)again["id"]);
        Assert.Equal("IN_QUEUE", (string?)again["status"]);

        var reused = await PostAsync(server, ep, "order-17", """{"input":{"n":2}}""");
        Assert.Equal(HttpStatusCode.Conflict, reused.StatusCode);
        Assert.Contains(id, (string)(await TestServer.ReadAsync(reused))["error"]!);

        // Only one job was queued; another client's key of the same name is its own; no key, no deduplication.
        var health = TestServer.Parse(await server.Client.GetStringAsync($"/v2/{ep}/health"));
        Assert.Equal(1, (int)health["jobs"]!["inQueue"]!);
        Assert.Equal(HttpStatusCode.BadRequest, (await PostAsync(server, ep, "bad key with spaces", """{"input":1}""")).StatusCode);
        using var admin = server.Http(TestServer.AdminKey);
        using var other = new HttpRequestMessage(HttpMethod.Post, $"/v2/{ep}/run") { Content = TestServer.Json("""{"input":{"n":1}}""") };
        other.Headers.Add("Idempotency-Key", "order-17");
        Assert.NotEqual(id, (string)(await TestServer.ReadAsync(await admin.SendAsync(other)))["id"]!);

        // Past the 24 h window the key is free again.
        server.Time.Advance(TimeSpan.FromHours(24) + TimeSpan.FromSeconds(1));
        await server.Sweeper.SweepOnceAsync();
        var later = await PostAsync(server, ep, "order-17", """{"input":{"n":2}}""");
        Assert.Equal(HttpStatusCode.OK, later.StatusCode);
        Assert.NotEqual(id, (string)(await TestServer.ReadAsync(later))["id"]!);
    }

    private static Task<HttpResponseMessage> PostAsync(TestServer server, string ep, string key, string body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/v2/{ep}/run") { Content = TestServer.Json(body) };
        request.Headers.TryAddWithoutValidation("Idempotency-Key", key);
        return server.Client.SendAsync(request);
    }
}

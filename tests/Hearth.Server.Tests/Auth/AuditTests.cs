using System.Net;
using System.Text.Json.Nodes;
using Hearth.Server.Hosting;
using Hearth.Server.Tests.Fixtures;

namespace Hearth.Server.Tests.Auth;

/// <summary>
/// The audit log records purges, key changes, refused webhook targets and bursts of failed authentication; a burst
/// also throttles its source address (429 with Retry-After) until its minute is over.
/// </summary>
public sealed class AuditTests(GarnetStoreFixture store) : IClassFixture<GarnetStoreFixture>
{
    private Task<TestServer> StartAsync(string endpoint) => TestServer.StartAsync(store.Host, o =>
        o.Endpoints.Add(new EndpointOptions { Name = endpoint }));

    private static async Task<List<JsonObject>> EntriesAsync(TestServer server, string query = "")
    {
        using var admin = server.Http(TestServer.AdminKey);
        var page = await TestServer.ReadAsync(await admin.GetAsync("/api/audit" + query));
        return [.. page["entries"]!.AsArray().Select(e => e!.AsObject())];
    }

    [Fact]
    public async Task A_purge_and_a_key_revocation_are_in_the_audit_log_with_who_and_what()
    {
        var ep = GarnetStoreFixture.UniqueEndpoint("audit");
        await using var server = await StartAsync(ep);
        await server.RunAsync(ep, """{"input":1}""");
        await server.RunAsync(ep, """{"input":2}""");
        Assert.Equal(HttpStatusCode.OK, (await server.Client.PostAsync($"/v2/{ep}/purge-queue", null)).StatusCode);
        var (id, _) = await StoredKeyTests.CreateAsync(server, """{"kind":"client","label":"temp"}""");
        using var admin = server.Http(TestServer.AdminKey);
        Assert.Equal(HttpStatusCode.OK, (await admin.DeleteAsync($"/api/keys/{id}")).StatusCode);

        var entries = await EntriesAsync(server);
        var purge = entries.Single(e => (string?)e["action"] == "queue.purge" && (string?)e["target"] == ep);
        Assert.Equal("client", (string?)purge["actor"]);
        Assert.Contains("2 queued jobs removed", (string)purge["detail"]!);
        Assert.Equal("127.0.0.1", (string?)purge["source"]);
        Assert.Contains(entries, e => (string?)e["action"] == "key.create" && (string?)e["target"] == id);
        var revoke = entries.Single(e => (string?)e["action"] == "key.revoke" && (string?)e["target"] == id);
        Assert.Equal("admin", (string?)revoke["actor"]);
        Assert.True((long)revoke["seq"]! > (long)purge["seq"]!, "newest first, ordered by sequence");
        Assert.Equal("2026-11-25T12:00:00.000Z", (string?)revoke["at"]);
    }

    [Fact]
    public async Task The_audit_log_pages_newest_first_and_only_the_admin_reads_it()
    {
        var ep = GarnetStoreFixture.UniqueEndpoint("pages");
        await using var server = await StartAsync(ep);
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await server.Client.PostAsync($"/v2/{ep}/purge-queue", null)).StatusCode);
        }

        using var admin = server.Http(TestServer.AdminKey);
        var first = await TestServer.ReadAsync(await admin.GetAsync("/api/audit?limit=2"));
        Assert.Equal(2, first["entries"]!.AsArray().Count);
        var next = (long)first["next"]!;
        var second = await EntriesAsync(server, $"?limit=2&before={next}");
        Assert.All(second, e => Assert.True((long)e["seq"]! < next));
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.GetAsync("/api/audit?limit=0")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.GetAsync("/api/audit?before=abc")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await server.Client.GetAsync("/api/audit")).StatusCode);
    }

    [Fact]
    public async Task A_burst_of_wrong_keys_from_one_address_is_throttled_and_audited_and_others_are_not()
    {
        var ep = GarnetStoreFixture.UniqueEndpoint("throttle");
        await using var server = await StartAsync(ep);
        using var guesser = server.Http("hk_guess");
        guesser.DefaultRequestHeaders.Add("X-Forwarded-For", "203.0.113.9");
        for (var i = 0; i < 30; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await guesser.GetAsync($"/v2/{ep}/health")).StatusCode);
        }

        var throttled = await guesser.GetAsync($"/v2/{ep}/health");
        Assert.Equal(HttpStatusCode.TooManyRequests, throttled.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(60), throttled.Headers.RetryAfter!.Delta);
        Assert.Contains("203.0.113.9", (string)(await TestServer.ReadAsync(throttled))["error"]!);

        // Even a right key from that address waits; another address is served.
        using var same = server.Http(TestServer.ClientKey);
        same.DefaultRequestHeaders.Add("X-Forwarded-For", "203.0.113.9");
        Assert.Equal(HttpStatusCode.TooManyRequests, (await same.GetAsync($"/v2/{ep}/health")).StatusCode);
        using var elsewhere = server.Http(TestServer.ClientKey);
        elsewhere.DefaultRequestHeaders.Add("X-Forwarded-For", "198.51.100.4");
        Assert.Equal(HttpStatusCode.OK, (await elsewhere.GetAsync($"/v2/{ep}/health")).StatusCode);

        server.Time.Advance(TimeSpan.FromSeconds(60));
        Assert.Equal(HttpStatusCode.OK, (await same.GetAsync($"/v2/{ep}/health")).StatusCode);
        var burst = (await EntriesAsync(server)).Single(e => (string?)e["action"] == "auth.failures"
            && (string?)e["source"] == "203.0.113.9");
        Assert.Equal("anonymous", (string?)burst["actor"]);
    }

    [Fact]
    public async Task A_refused_webhook_target_is_audited_by_host_only()
    {
        var ep = GarnetStoreFixture.UniqueEndpoint("ssrf");
        await using var server = await StartAsync(ep);
        var refused = await server.Client.PostAsync($"/v2/{ep}/run",
            TestServer.Json("""{"input":1,"webhook":"http://169.254.169.254/latest/meta-data?token=secret"}"""));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var entry = (await EntriesAsync(server)).Single(e => (string?)e["action"] == "webhook.refused"
            && ((string?)e["detail"])!.Contains(ep, StringComparison.Ordinal));
        Assert.Equal("169.254.169.254", (string?)entry["target"]);
        Assert.DoesNotContain("secret", entry.ToJsonString(), StringComparison.Ordinal);
    }
}

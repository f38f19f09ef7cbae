using System.Net;
using System.Text.Json.Nodes;
using Hearth.Server.Hosting;
using Hearth.Server.Tests.Fixtures;

namespace Hearth.Server.Tests.Auth;

/// <summary>
/// Keys kept as data: created, scoped by endpoint and operation, bound to a node, rotated with a grace period and
/// revoked — on one replica, and on another sharing the store within seconds (virtual time).
/// </summary>
public sealed class StoredKeyTests(GarnetStoreFixture store) : IClassFixture<GarnetStoreFixture>
{
    private Task<TestServer> StartAsync(params string[] endpoints) => TestServer.StartAsync(store.Host, o =>
    {
        foreach (var e in endpoints)
        {
            o.Endpoints.Add(new EndpointOptions { Name = e });
        }
    });

    internal static async Task<(string Id, string Secret)> CreateAsync(TestServer server, string json)
    {
        using var admin = server.Http(TestServer.AdminKey);
        var response = await admin.PostAsync("/api/keys", TestServer.Json(json));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, body);
        var answer = TestServer.Parse(body);
        return ((string)answer["record"]!["id"]!, (string)answer["key"]!);
    }

    /// <summary>Advances a replica's clock 250 ms at a time (at most <paramref name="bound"/> of virtual time) until
    /// <paramref name="condition"/> holds; returns the virtual time it took.</summary>
    internal static async Task<TimeSpan> AdvanceUntilAsync(TestServer server, Func<Task<bool>> condition, TimeSpan bound)
    {
        var waited = TimeSpan.Zero;
        while (!await condition())
        {
            Assert.True(waited < bound, $"still not true after {waited.TotalSeconds} s of virtual time");
            server.Time.Advance(TimeSpan.FromMilliseconds(250));
            waited += TimeSpan.FromMilliseconds(250);

            // The refresher runs on the thread pool once its timer fires; give it a moment of real time.
            for (var i = 0; i < 20 && !await condition(); i++)
            {
                await Task.Delay(10);
            }
        }

        return waited;
    }

    [Fact]
    public async Task A_client_key_may_do_only_its_operations_on_its_endpoints()
    {
        var callee = GarnetStoreFixture.UniqueEndpoint("callee");
        var other = GarnetStoreFixture.UniqueEndpoint("other");
        await using var server = await StartAsync(callee, other);
        var (_, secret) = await CreateAsync(server,
            $$"""{"kind":"client","label":"a tool's call key","endpoints":["{{callee}}"],"operations":["run","read"]}""");
        using var key = server.Http(secret);

        var run = await key.PostAsync($"/v2/{callee}/run", TestServer.Json("""{"input":1}"""));
        Assert.Equal(HttpStatusCode.OK, run.StatusCode);
        var id = (string)(await TestServer.ReadAsync(run))["id"]!;
        Assert.Equal(HttpStatusCode.OK, (await key.GetAsync($"/v2/{callee}/status/{id}")).StatusCode);

        var purge = await key.PostAsync($"/v2/{callee}/purge-queue", null);
        Assert.Equal(HttpStatusCode.Forbidden, purge.StatusCode);
        Assert.Contains("may not purge", (string)(await TestServer.ReadAsync(purge))["error"]!);
        Assert.Equal(HttpStatusCode.Forbidden, (await key.PostAsync($"/v2/{callee}/cancel/{id}", null)).StatusCode);
        Assert.Equal("IN_QUEUE", (string?)(await server.StatusAsync(callee, id))["status"]);

        // Another endpoint does not exist as far as this key is concerned.
        var otherId = await server.RunAsync(other, """{"input":2}""");
        Assert.Equal(HttpStatusCode.NotFound, (await key.GetAsync($"/v2/{other}/status/{otherId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await key.PostAsync($"/v2/{other}/purge-queue", null)).StatusCode);
        Assert.Equal("IN_QUEUE", (string?)(await server.StatusAsync(other, otherId))["status"]);
    }

    [Fact]
    public async Task A_revoked_key_is_refused_at_once_on_its_replica_and_within_5_s_on_another()
    {
        var ep = GarnetStoreFixture.UniqueEndpoint("revoke");
        await using var a = await StartAsync(ep);
        await using var b = await StartAsync(ep);
        var (id, secret) = await CreateAsync(a, """{"kind":"client","label":"leaked"}""");
        using var onA = a.Http(secret);
        using var onB = b.Http(secret);
        Assert.Equal(HttpStatusCode.OK, (await onA.GetAsync($"/v2/{ep}/health")).StatusCode);
        await AdvanceUntilAsync(b, async () => (await onB.GetAsync($"/v2/{ep}/health")).IsSuccessStatusCode,
            TimeSpan.FromSeconds(5));

        using var admin = a.Http(TestServer.AdminKey);
        Assert.Equal(HttpStatusCode.OK, (await admin.DeleteAsync($"/api/keys/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await onA.GetAsync($"/v2/{ep}/health")).StatusCode);
        var took = await AdvanceUntilAsync(b,
            async () => (await onB.GetAsync($"/v2/{ep}/health")).StatusCode == HttpStatusCode.Unauthorized,
            TimeSpan.FromSeconds(5));
        Assert.True(took <= TimeSpan.FromSeconds(5), $"took {took}");

        // Gone from the list, and a second revocation says there is no such key.
        var list = await admin.GetStringAsync("/api/keys");
        Assert.DoesNotContain(id, list, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.DeleteAsync($"/api/keys/{id}")).StatusCode);
    }

    [Fact]
    public async Task A_rotated_key_works_with_the_new_one_until_its_grace_ends_and_an_expired_key_is_refused()
    {
        var ep = GarnetStoreFixture.UniqueEndpoint("rotate");
        await using var server = await StartAsync(ep);
        var (id, secret) = await CreateAsync(server, """{"kind":"client","label":"ci","expiresInSeconds":86400}""");
        using var admin = server.Http(TestServer.AdminKey);
        var rotated = await admin.PostAsync($"/api/keys/{id}/rotate", TestServer.Json("""{"graceSeconds":60}"""));
        Assert.Equal(HttpStatusCode.Created, rotated.StatusCode);
        var answer = await TestServer.ReadAsync(rotated);
        using var fresh = server.Http((string)answer["key"]!);
        using var old = server.Http(secret);
        Assert.Equal("ci", (string?)answer["record"]!["label"]);
        Assert.NotEqual(id, (string?)answer["record"]!["id"]);
        Assert.Equal(HttpStatusCode.OK, (await old.GetAsync($"/v2/{ep}/health")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await fresh.GetAsync($"/v2/{ep}/health")).StatusCode);

        server.Time.Advance(TimeSpan.FromSeconds(61));
        Assert.Equal(HttpStatusCode.Unauthorized, (await old.GetAsync($"/v2/{ep}/health")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await fresh.GetAsync($"/v2/{ep}/health")).StatusCode);

        // The new key has the old one's lifetime (a day), not forever.
        server.Time.Advance(TimeSpan.FromDays(1));
        Assert.Equal(HttpStatusCode.Unauthorized, (await fresh.GetAsync($"/v2/{ep}/health")).StatusCode);
    }

    [Fact]
    public async Task A_node_token_kept_as_data_cannot_heartbeat_as_another_node()
    {
        await using var server = await StartAsync(GarnetStoreFixture.UniqueEndpoint("nodes"));
        var node = "gpu-" + Guid.NewGuid().ToString("N")[..6];
        var (_, secret) = await CreateAsync(server, $$"""{"kind":"node","node":"{{node}}"}""");
        using var agent = server.Http(secret);
        const string Beat = """{"inventory":{"nodeId":"x","cpuCores":4,"memoryBytes":8589934592,"gpus":[]},"running":[],"exits":[]}""";

        var other = await agent.PostAsync("/api/nodes/gpu-other/heartbeat", TestServer.Json(Beat));
        Assert.Equal(HttpStatusCode.Forbidden, other.StatusCode);
        Assert.Contains($"bound to node '{node}'", (string)(await TestServer.ReadAsync(other))["error"]!);
        Assert.Equal(HttpStatusCode.Forbidden, (await agent.GetAsync("/api/nodes/gpu-other/workers")).StatusCode);
        Assert.Equal(HttpStatusCode.OK,
            (await agent.PostAsync($"/api/nodes/{node}/heartbeat", TestServer.Json(Beat))).StatusCode);

        // A node token is no client key.
        Assert.Equal(HttpStatusCode.Forbidden, (await agent.GetAsync("/api/keys")).StatusCode);
    }

    [Theory]
    [InlineData("""{"kind":"root"}""", "'kind' must be one of")]
    [InlineData("""{"kind":"client","operations":["delete"]}""", "'operations' must be a list of")]
    [InlineData("""{"kind":"client","endpoints":["../x"]}""", "'endpoints' must be a list")]
    [InlineData("""{"kind":"node"}""", "A node token needs 'node'")]
    [InlineData("""{"kind":"worker","operations":["run"]}""", "Only client keys have 'operations'")]
    [InlineData("""{"kind":"client","expiresInSeconds":-5}""", "'expiresInSeconds' must be")]
    [InlineData("""[1,2]""", "must be a JSON object")]
    public async Task A_bad_key_request_is_refused_with_what_to_change_and_stores_nothing(string json, string error)
    {
        await using var server = await StartAsync(GarnetStoreFixture.UniqueEndpoint("bad-keys"));
        using var admin = server.Http(TestServer.AdminKey);
        var before = (await TestServer.ReadAsync(await admin.GetAsync("/api/keys")))["keys"]!.AsArray().Count;
        var response = await admin.PostAsync("/api/keys", TestServer.Json(json));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await TestServer.ReadAsync(response);
        Assert.Contains(error, (string)body["error"]!);
        Assert.False(string.IsNullOrEmpty((string?)body["hint"]));
        Assert.Equal(before, (await TestServer.ReadAsync(await admin.GetAsync("/api/keys")))["keys"]!.AsArray().Count);
    }

    [Fact]
    public async Task Only_the_admin_key_manages_keys_and_the_list_never_shows_a_secret_or_hash()
    {
        await using var server = await StartAsync(GarnetStoreFixture.UniqueEndpoint("list"));
        var (id, secret) = await CreateAsync(server, """{"kind":"worker","endpoints":["list"],"label":"pod"}""");
        using var client = server.Http(TestServer.ClientKey);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/api/keys")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.DeleteAsync($"/api/keys/{id}")).StatusCode);

        using var admin = server.Http(TestServer.AdminKey);
        var list = await admin.GetStringAsync("/api/keys");
        Assert.Contains(id, list, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, list, StringComparison.Ordinal);
        Assert.DoesNotContain(Hearth.Server.Auth.KeyRing.HashOf(secret), list, StringComparison.OrdinalIgnoreCase);
        var entry = JsonNode.Parse(list)!["keys"]!.AsArray().Single(k => (string?)k!["id"] == id)!;
        Assert.Equal("worker", (string?)entry["kind"]);
        Assert.Equal("list", (string?)entry["endpoints"]![0]);
    }
}

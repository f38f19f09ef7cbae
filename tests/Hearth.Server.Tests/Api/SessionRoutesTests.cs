using System.Net;
using Hearth.Server.Hosting;
using Hearth.Server.Tests.Fixtures;

namespace Hearth.Server.Tests.Api;

/// <summary>Session state routes (fenced like steps), the admin API's sessions, the attempt field and session expiry.</summary>
public sealed class SessionRoutesTests(GarnetStoreFixture store) : IClassFixture<GarnetStoreFixture>
{
    [Fact]
    public async Task Session_state_is_fenced_and_the_admin_api_lists_the_session_with_its_journal()
    {
        var ep = GarnetStoreFixture.UniqueEndpoint("sess");
        await using var server = await TestServer.StartAsync(store.Host, o => o.Endpoints.Add(new EndpointOptions { Name = ep, SessionIdleMs = 3_600_000 }));
        using var worker = server.Http(null);
        worker.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", TestServer.WorkerToken);
        var id = await server.RunAsync(ep, """{"input":{"q":"kv"},"session_id":"chat-9","parent_job_id":"caller-1"}""");

        var taken = TestServer.Parse(await worker.GetStringAsync($"/v2/{ep}/job-take/w1?"));
        Assert.Equal(1, (int)taken["attempt"]!);
        Assert.Equal("caller-1", (string?)taken["parent_job_id"]);

        Assert.Equal(HttpStatusCode.OK, (await worker.PostAsync($"/v2/{ep}/session-state/w1/{id}?key=plan", TestServer.Json("""{"next":"search"}"""))).StatusCode);
        Assert.Equal("""{"value":{"next":"search"}}""", await worker.GetStringAsync($"/v2/{ep}/session-state/w1/{id}?key=plan"));
        Assert.Equal("""{"value":null}""", await worker.GetStringAsync($"/v2/{ep}/session-state/w1/{id}?key=unset"));
        Assert.Equal(HttpStatusCode.Conflict, (await worker.PostAsync($"/v2/{ep}/session-state/other/{id}?key=plan", TestServer.Json("1"))).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await worker.GetAsync($"/v2/{ep}/session-state/other/{id}?key=plan")).StatusCode);
        var noKey = await worker.PostAsync($"/v2/{ep}/session-state/w1/{id}", TestServer.Json("1"));
        Assert.Equal(HttpStatusCode.BadRequest, noKey.StatusCode);
        Assert.Contains("?key=NAME", (string)(await TestServer.ReadAsync(noKey))["error"]!);
        Assert.Equal(HttpStatusCode.OK, (await worker.PostAsync($"/v2/{ep}/session-step/w1/{id}?key=decompose", TestServer.Json("""["a","b"]"""))).StatusCode);

        using var admin = server.Http(TestServer.AdminKey);
        var list = TestServer.Parse(await admin.GetStringAsync($"/api/sessions?endpoint={ep}"));
        var listed = Assert.Single(list["sessions"]!.AsArray())!;
        Assert.Equal("chat-9", (string?)listed["id"]);
        Assert.Equal("w1", (string?)listed["worker"]);
        Assert.Equal(1, (int)listed["steps"]!);
        Assert.Equal(1, (int)listed["stateKeys"]!);
        Assert.Equal(server.Time.GetUtcNow().AddHours(1), DateTimeOffset.Parse((string)listed["expiresAt"]!, System.Globalization.CultureInfo.InvariantCulture));

        var detail = TestServer.Parse(await admin.GetStringAsync("/api/sessions/chat-9"));
        Assert.Equal(ep, (string?)detail["endpoint"]);
        var step = Assert.Single(detail["steps"]!.AsArray())!;
        Assert.Equal("decompose", (string?)step["name"]);
        Assert.Equal(id, (string?)step["jobId"]);
        Assert.Equal("""["a","b"]""", (string?)step["preview"]);
        Assert.Equal("plan", (string?)Assert.Single(detail["state"]!.AsArray())!["key"]);

        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/api/sessions/nope")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/api/sessions?endpoint=missing")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await server.Client.GetAsync("/api/sessions")).StatusCode);

        // Idle past its timeout once its job is done: the sweeper deletes the session.
        Assert.Equal(HttpStatusCode.OK, (await worker.PostAsync($"/v2/{ep}/job-done/w1/{id}?attempt=1", TestServer.Json("""{"output":1}"""))).StatusCode);
        server.Time.Advance(TimeSpan.FromHours(1) + TimeSpan.FromSeconds(1));
        await server.Sweeper.SweepOnceAsync();
        Assert.Empty(TestServer.Parse(await admin.GetStringAsync($"/api/sessions?endpoint={ep}"))["sessions"]!.AsArray());
    }

    [Fact]
    public async Task A_bad_parent_job_id_is_refused_with_a_hint()
    {
        var ep = GarnetStoreFixture.UniqueEndpoint("parent");
        await using var server = await TestServer.StartAsync(store.Host, o => o.Endpoints.Add(new EndpointOptions { Name = ep }));
        var response = await server.Client.PostAsync($"/v2/{ep}/run", TestServer.Json("""{"input":1,"parent_job_id":42}"""));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("parent_job_id", (string)(await TestServer.ReadAsync(response))["error"]!);
    }
}

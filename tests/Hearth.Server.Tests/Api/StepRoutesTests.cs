using System.Net;
using Hearth.Server.Hosting;
using Hearth.Server.Tests.Fixtures;

namespace Hearth.Server.Tests.Api;

/// <summary>The journal routes are fenced by the lease: a zombie worker (resumed after losing its job) cannot write a step.</summary>
public sealed class StepRoutesTests(GarnetStoreFixture store) : IClassFixture<GarnetStoreFixture>
{
    [Fact]
    public async Task A_worker_that_lost_the_lease_gets_409_for_a_step_and_the_journal_keeps_the_holders()
    {
        var ep = GarnetStoreFixture.UniqueEndpoint("steps");
        await using var server = await TestServer.StartAsync(store.Host, o => o.Endpoints.Add(new EndpointOptions { Name = ep }));
        using var worker = server.Http(null);
        worker.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", TestServer.WorkerToken);
        var id = await server.RunAsync(ep, """{"input":{"q":"kv cache"},"session_id":"s-1"}""");

        var taken = TestServer.Parse(await worker.GetStringAsync($"/v2/{ep}/job-take/zombie?"));
        Assert.Equal("s-1", (string?)taken["session_id"]);
        Assert.Equal(HttpStatusCode.OK, (await worker.PostAsync($"/v2/{ep}/session-step/zombie/{id}?key=decompose", TestServer.Json("""["a","b"]"""))).StatusCode);

        // The zombie pauses past its lease; the job is re-granted to another worker.
        server.Time.Advance(TimeSpan.FromSeconds(31));
        await server.Sweeper.SweepOnceAsync();
        TestServer.Parse(await worker.GetStringAsync($"/v2/{ep}/job-take/heir?"));

        var late = await worker.PostAsync($"/v2/{ep}/session-step/zombie/{id}?key=search", TestServer.Json("\"stale\""));
        Assert.Equal(HttpStatusCode.Conflict, late.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await worker.GetAsync($"/v2/{ep}/session-steps/zombie/{id}")).StatusCode);

        var journal = TestServer.Parse(await worker.GetStringAsync($"/v2/{ep}/session-steps/heir/{id}"));
        Assert.Equal("""{"decompose":["a","b"]}""", journal["steps"]!.ToJsonString());

        var bad = await worker.PostAsync($"/v2/{ep}/session-step/heir/{id}", TestServer.Json("1"));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }
}

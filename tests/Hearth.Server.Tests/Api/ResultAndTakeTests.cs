using System.Net;
using Hearth.Server.Hosting;
using Hearth.Server.Tests.Fixtures;

namespace Hearth.Server.Tests.Api;

/// <summary><c>job-done?next=n</c>: a busy worker posts a result and takes its next job in one round trip.</summary>
public sealed class ResultAndTakeTests(GarnetStoreFixture store) : IClassFixture<GarnetStoreFixture>
{
    [Fact]
    public async Task A_result_with_next_takes_queued_jobs_without_waiting_and_a_plain_result_takes_none()
    {
        var ep = GarnetStoreFixture.UniqueEndpoint("chain");
        await using var server = await TestServer.StartAsync(store.Host, o => o.Endpoints.Add(new EndpointOptions { Name = ep }));
        using var worker = server.Http(TestServer.WorkerToken);
        var first = await server.RunAsync(ep, """{"input":1}""");
        var second = await server.RunAsync(ep, """{"input":2}""");
        var third = await server.RunAsync(ep, """{"input":3}""");
        Assert.Equal(first, (string?)TestServer.Parse(await worker.GetStringAsync($"/v2/{ep}/job-take/w1?"))["id"]);

        var chained = await worker.PostAsync($"/v2/{ep}/job-done/w1/{first}?isStream=false&next=1", TestServer.Json("""{"output":1}"""));
        Assert.Equal(HttpStatusCode.OK, chained.StatusCode);
        var next = Assert.Single((await TestServer.ReadAsync(chained))["next"]!.AsArray())!;
        Assert.Equal(second, (string?)next["id"]);
        Assert.Equal(2, (int)next["input"]!);
        Assert.Equal(1, (int)next["attempt"]!);
        Assert.Equal("IN_PROGRESS", (string?)(await server.StatusAsync(ep, second))["status"]);
        Assert.Equal("COMPLETED", (string?)(await server.StatusAsync(ep, first))["status"]);

        // Runpod workers send no 'next': the answer stays {} and nothing more is taken.
        Assert.Equal("{}", await (await worker.PostAsync($"/v2/{ep}/job-done/w1/{second}", TestServer.Json("""{"output":2}"""))).Content.ReadAsStringAsync());
        Assert.Equal("IN_QUEUE", (string?)(await server.StatusAsync(ep, third))["status"]);

        // An empty queue answers an empty list at once; a refused result takes nothing.
        Assert.Equal(third, (string?)TestServer.Parse(await worker.GetStringAsync($"/v2/{ep}/job-take/w1?"))["id"]);
        var last = await worker.PostAsync($"/v2/{ep}/job-done/w1/{third}?next=4", TestServer.Json("""{"output":3}"""));
        Assert.Empty((await TestServer.ReadAsync(last))["next"]!.AsArray());
        await server.RunAsync(ep, """{"input":4}""");
        var refused = await worker.PostAsync($"/v2/{ep}/job-done/w2/{third}?next=1", TestServer.Json("""{"output":3}"""));
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Equal(1, (int)TestServer.Parse(await server.Client.GetStringAsync($"/v2/{ep}/health"))["jobs"]!["inQueue"]!);
    }
}

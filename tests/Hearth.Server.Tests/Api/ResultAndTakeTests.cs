using System.Net;
using Hearth.Server.Hosting;
using Hearth.Server.Tests.Fixtures;

namespace Hearth.Server.Tests.Api;

/// <summary>
/// <c>job-done?next=n</c>: a busy worker posts a result and takes its next job in one round trip; <c>job-done-batch</c>:
/// several results in one request.
/// </summary>
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

    [Fact]
    public async Task A_batch_of_results_applies_each_held_one_refuses_the_rest_one_by_one_and_takes_next_jobs()
    {
        var ep = GarnetStoreFixture.UniqueEndpoint("batch");
        await using var server = await TestServer.StartAsync(store.Host, o => o.Endpoints.Add(new EndpointOptions { Name = ep }));
        using var worker = server.Http(TestServer.WorkerToken);
        var ids = new List<string>();
        for (var i = 1; i <= 5; i++)
        {
            ids.Add(await server.RunAsync(ep, $$"""{"input":{{i}}}"""));
        }

        var taken = System.Text.Json.Nodes.JsonNode.Parse(await worker.GetStringAsync($"/v2/{ep}/job-take-batch/w1?batch_size=3"))!.AsArray();
        Assert.Equal(ids[..3], taken.Select(j => (string)j!["id"]!));
        await server.RunAsync(ep, """{"input":6}""");

        var answer = await worker.PostAsync($"/v2/{ep}/job-done-batch/w1?next=2", TestServer.Json($$$"""
            [{"id":"{{{ids[0]}}}","attempt":1,"output":{"n":1}},
             {"id":"{{{ids[1]}}}","error":"boom"},
             {"id":"{{{ids[3]}}}","output":4},
             {"id":"no-such-job","output":0},
             {"id":"{{{ids[2]}}}","attempt":7,"output":3}]
            """));
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        var body = await TestServer.ReadAsync(answer);
        Assert.Equal([200, 200, 409, 404, 409], body["results"]!.AsArray().Select(r => (int)r!["code"]!));
        Assert.Contains("does not hold", (string?)body["results"]![2]!["error"]);
        Assert.Contains("Nothing was changed", (string?)body["results"]![2]!["hint"]);
        Assert.Null(body["results"]![0]!["error"]);
        Assert.Equal([ids[3], ids[4]], body["next"]!.AsArray().Select(j => (string)j!["id"]!));

        var first = await server.StatusAsync(ep, ids[0]);
        Assert.Equal("COMPLETED", (string?)first["status"]);
        Assert.Equal(1, (int)first["output"]!["n"]!);
        var second = await server.StatusAsync(ep, ids[1]);
        Assert.Equal("FAILED", (string?)second["status"]);
        Assert.Equal("boom", (string?)second["error"]);
        Assert.Equal("IN_PROGRESS", (string?)(await server.StatusAsync(ep, ids[2]))["status"]); // a stale attempt changes nothing
        Assert.Equal("IN_PROGRESS", (string?)(await server.StatusAsync(ep, ids[3]))["status"]); // taken by next=2, after its refusal
    }

    [Theory]
    [InlineData("""{"id":"x","output":1}""", "JSON array")]
    [InlineData("[]", "1 to 64 results")]
    [InlineData("""[{"output":1}]""", "string 'id'")]
    [InlineData("""[{"id":"A","output":1},{"id":"A","output":2}]""", "appears twice")]
    [InlineData("""[{"id":"A","status":"IN_PROGRESS","output":1}]""", "progress update")]
    [InlineData("""[{"id":"A","output":1},{"id":"B","attempt":"2","output":1}]""", "positive whole number")]
    public async Task A_malformed_batch_is_refused_whole_with_the_fix_and_changes_nothing(string batch, string says)
    {
        var ep = GarnetStoreFixture.UniqueEndpoint("badbatch");
        await using var server = await TestServer.StartAsync(store.Host, o => o.Endpoints.Add(new EndpointOptions { Name = ep }));
        using var worker = server.Http(TestServer.WorkerToken);
        var a = await server.RunAsync(ep, """{"input":1}""");
        var b = await server.RunAsync(ep, """{"input":2}""");
        Assert.Equal(2, System.Text.Json.Nodes.JsonNode.Parse(await worker.GetStringAsync($"/v2/{ep}/job-take-batch/w1?batch_size=2"))!.AsArray().Count);

        var answer = await worker.PostAsync($"/v2/{ep}/job-done-batch/w1?next=1", TestServer.Json(batch.Replace("\"A\"", $"\"{a}\"").Replace("\"B\"", $"\"{b}\"")));
        Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
        var error = await TestServer.ReadAsync(answer);
        Assert.Contains(says, (string?)error["error"]);
        Assert.False(string.IsNullOrEmpty((string?)error["hint"]));
        Assert.Equal("IN_PROGRESS", (string?)(await server.StatusAsync(ep, a))["status"]);
        Assert.Equal("IN_PROGRESS", (string?)(await server.StatusAsync(ep, b))["status"]);
    }
}

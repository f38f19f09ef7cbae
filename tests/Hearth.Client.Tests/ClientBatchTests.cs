using System.Net;
using Hearth.Server.Tests.Fixtures;

namespace Hearth.Client.Tests;

/// <summary>
/// <c>/runbatch</c> through the client and on the wire: every valid item is queued (and run by a real worker), an invalid
/// item refuses only itself with its error and hint, idempotency keys work per item, and the batch's shape is checked.
/// </summary>
public sealed class ClientBatchTests(GarnetStoreFixture store) : IClassFixture<GarnetStoreFixture>
{
    private sealed record Work(string Word);

    [Fact]
    public async Task A_batch_queues_every_item_in_order_and_a_worker_runs_them_all()
    {
        await using var h = await ClientHarness.StartAsync(store, "batch");
        var words = Enumerable.Range(0, 50).Select(i => new Work($"w{i}")).ToList();

        var results = await h.Endpoint.RunBatchAsync(words);

        Assert.Equal(50, results.Count);
        Assert.All(results, r => Assert.Equal("IN_QUEUE", r.Job!.Status));
        Assert.Equal(50, results.Select(r => r.Job!.Id).Distinct().Count());
        foreach (var (result, word) in results.Zip(words))
        {
            var done = await h.Endpoint.WaitAsync<System.Text.Json.JsonElement>(result.Job!.Id);
            Assert.Equal("COMPLETED", done.Status);
            Assert.Contains(word.Word, done.Output.GetRawText(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task An_invalid_item_refuses_only_itself_and_idempotency_keys_replay_per_item()
    {
        await using var h = await ClientHarness.StartAsync(store, "batch-mixed", withWorker: false);
        var ep = h.Endpoint.Name;
        const string Body = """
            {"jobs": [
              {"input": {"n": 1}, "idempotencyKey": "order-1"},
              {"nope": 1},
              {"input": {"n": 3}, "webhook": "http://169.254.169.254/latest"},
              {"input": {"n": 4}, "policy": {"executionTimeout": 1}}
            ]}
            """;
        var first = TestServer.Parse(await (await h.Server.Client.PostAsync($"/v2/{ep}/runbatch", TestServer.Json(Body)))
            .Content.ReadAsStringAsync())["jobs"]!.AsArray();
        Assert.Equal(4, first.Count);
        var id = (string)first[0]!["id"]!;
        Assert.Equal("IN_QUEUE", (string?)first[0]!["status"]);
        Assert.Contains("no 'input'", (string)first[1]!["error"]!, StringComparison.Ordinal);
        Assert.Equal(400, (int)first[1]!["code"]!);
        Assert.False(string.IsNullOrEmpty((string?)first[1]!["hint"]));
        Assert.Contains("'webhook' is refused", (string)first[2]!["error"]!, StringComparison.Ordinal);
        Assert.NotNull(first[3]!["error"]);

        // Sent again: the keyed item returns the first job, marked replayed; nothing else was queued.
        var again = TestServer.Parse(await (await h.Server.Client.PostAsync($"/v2/{ep}/runbatch", TestServer.Json(Body)))
            .Content.ReadAsStringAsync())["jobs"]!.AsArray();
        Assert.Equal(id, (string?)again[0]!["id"]);
        Assert.True((bool)again[0]!["replayed"]!);
        Assert.Contains("\"inQueue\":1", await h.Server.Client.GetStringAsync($"/v2/{ep}/health"), StringComparison.Ordinal);

        // The same key with another item is refused for that item.
        var reused = TestServer.Parse(await (await h.Server.Client.PostAsync($"/v2/{ep}/runbatch",
            TestServer.Json("""{"jobs": [{"input": {"n": 99}, "idempotencyKey": "order-1"}]}"""))).Content.ReadAsStringAsync());
        Assert.Equal(409, (int)reused["jobs"]![0]!["code"]!);
    }

    [Theory]
    [InlineData("""[{"input": 1}]""")]
    [InlineData("""{"jobs": []}""")]
    [InlineData("""{"jobs": {"input": 1}}""")]
    public async Task A_batch_of_the_wrong_shape_is_a_400_with_the_shape(string body)
    {
        await using var h = await ClientHarness.StartAsync(store, "batch-shape", withWorker: false);
        var response = await h.Server.Client.PostAsync($"/v2/{h.Endpoint.Name}/runbatch", TestServer.Json(body));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("{\"jobs\": [...]}", (string)(await TestServer.ReadAsync(response))["error"]!, StringComparison.Ordinal);
    }
}

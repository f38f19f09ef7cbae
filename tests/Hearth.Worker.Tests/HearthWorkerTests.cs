using System.Runtime.CompilerServices;
using Hearth.Server.Tests.Fixtures;

namespace Hearth.Worker.Tests;

public sealed record Greeting(string Name, int Times = 1);

public sealed record Reply(string Text);

public sealed class HearthWorkerTests(GarnetStoreFixture store) : IClassFixture<GarnetStoreFixture>
{
    [Fact]
    public async Task A_typed_handler_receives_its_input_and_its_output_completes_the_job()
    {
        await using var h = await WorkerHarness.StartAsync(store);
        await h.RunAsync(JobHandler.Create<Greeting, Reply>((g, ctx, ct) =>
            Task.FromResult(new Reply(string.Join(" ", Enumerable.Repeat($"hello {g.Name} from {ctx.WorkerId}", g.Times))))));

        var id = await h.Server.RunAsync(h.Endpoint, """{"input":{"name":"ada","times":2}}""");
        var done = await h.Server.WaitForAsync(h.Endpoint, id, s => (string?)s["status"] == "COMPLETED");
        Assert.Equal("hello ada from sdk-worker hello ada from sdk-worker", (string?)done["output"]!["text"]);
        Assert.Equal("sdk-worker", (string?)done["workerId"]);
    }

    [Fact]
    public async Task A_handler_exception_fails_the_job_with_type_message_and_stack()
    {
        await using var h = await WorkerHarness.StartAsync(store);
        await h.RunAsync(JobHandler.Create<Greeting, Reply>((g, _, _) => throw new InvalidOperationException($"no greeting for {g.Name}")));

        var id = await h.Server.RunAsync(h.Endpoint, """{"input":{"name":"bob"}}""");
        var failed = await h.Server.WaitForAsync(h.Endpoint, id, s => (string?)s["status"] == "FAILED");
        var error = (string)failed["error"]!;
        Assert.Contains("System.InvalidOperationException", error);
        Assert.Contains("no greeting for bob", error);
        Assert.Contains("HearthWorkerTests", error);
    }

    [Fact]
    public async Task Input_of_the_wrong_shape_fails_with_a_readable_error()
    {
        await using var h = await WorkerHarness.StartAsync(store);
        await h.RunAsync(JobHandler.Create<Greeting, Reply>((g, _, _) => Task.FromResult(new Reply(g.Name))));
        var id = await h.Server.RunAsync(h.Endpoint, """{"input":{"name":{"nested":true}}}""");
        var failed = await h.Server.WaitForAsync(h.Endpoint, id, s => (string?)s["status"] == "FAILED");
        Assert.Contains("does not match Greeting", (string)failed["error"]!);
    }

    [Fact]
    public async Task A_streaming_handler_sends_each_chunk_and_the_aggregate()
    {
        await using var h = await WorkerHarness.StartAsync(store);
        await h.RunAsync(JobHandler.Stream<Greeting, int>(Count));

        var id = await h.Server.RunAsync(h.Endpoint, """{"input":{"name":"x","times":3}}""");
        var done = await h.Server.WaitForAsync(h.Endpoint, id, s => (string?)s["status"] == "COMPLETED");
        Assert.Equal("[0,1,2]", done["output"]!.ToJsonString());
        var stream = await TestServer.ReadAsync(await h.Server.Client.GetAsync($"/v2/{h.Endpoint}/stream/{id}"));
        Assert.Equal("""[{"output":0},{"output":1},{"output":2}]""", stream["stream"]!.ToJsonString());

        static async IAsyncEnumerable<int> Count(Greeting g, JobContext ctx, [EnumeratorCancellation] CancellationToken ct)
        {
            for (var i = 0; i < g.Times; i++)
            {
                await Task.Yield();
                yield return i;
            }
        }
    }

    [Fact]
    public async Task Progress_reports_show_in_status_while_the_job_runs()
    {
        await using var h = await WorkerHarness.StartAsync(store);
        var release = new TaskCompletionSource();
        await h.RunAsync(JobHandler.Create<Greeting, Reply>(async (g, ctx, ct) =>
        {
            await ctx.ReportProgressAsync(new { percent = 50 }, cancellationToken: ct);
            await release.Task.WaitAsync(ct);
            return new Reply("done");
        }));

        var id = await h.Server.RunAsync(h.Endpoint, """{"input":{"name":"p"}}""");
        var running = await h.Server.WaitForAsync(h.Endpoint, id, s => s["output"] is not null);
        Assert.Equal("IN_PROGRESS", (string?)running["status"]);
        Assert.Equal(50, (int)running["output"]!["percent"]!);
        release.SetResult();
        await h.Server.WaitForAsync(h.Endpoint, id, s => (string?)s["status"] == "COMPLETED");
    }
}

using System.Text.Json.Nodes;
using Hearth.Server.Tests.Fixtures;
using Hearth.Testing;

namespace Hearth.Worker.Tests;

/// <summary>The worker reports its spans to the control plane: a running step shows as open, then closed with its status.</summary>
public sealed class WorkerSpanTests(GarnetStoreFixture store) : IClassFixture<GarnetStoreFixture>
{
    [Fact]
    public async Task A_running_step_is_reported_open_and_then_closed_under_its_execute_span()
    {
        await using var h = await WorkerHarness.StartAsync(store);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await h.RunAsync(JobHandler.Create<Plan, Answer>(async (plan, ctx, ct) =>
        {
            var parts = await ctx.StepAsync("decompose", _ => Task.FromResult(plan.Query.Split(' ')), cancellationToken: ct);
            await ctx.StepAsync("think", async t =>
            {
                await release.Task.WaitAsync(t);
                return 1;
            }, cancellationToken: ct);
            return new Answer(parts, ctx.ReplayedSteps);
        }));

        var id = await h.Server.RunAsync(h.Endpoint, """{"input":{"query":"kv cache"}}""");
        var open = await Eventually.ValueAsync(async () => Span(await TraceAsync(h, id), "step think") is { } s && (bool)s["open"]! ? s : null, "the running step to be reported open");
        Assert.Equal("worker:sdk-worker", (string?)open["source"]);
        Assert.Equal("think", (string?)open["attributes"]!["hearth.step"]);
        Assert.Equal(id, (string?)open["attributes"]!["hearth.job_id"]);

        release.SetResult();
        var trace = await Eventually.ValueAsync(async () =>
        {
            var t = await TraceAsync(h, id);
            return t["spans"]!.AsArray().Count == 5 && t["spans"]!.AsArray().All(s => !(bool)s!["open"]!) ? t : null;
        }, "job, queue.wait, execute and both steps to be closed");
        var job = Span(trace, "job")!;
        var execute = Span(trace, "execute")!;
        Assert.Equal((string?)job["spanId"], (string?)execute["parentSpanId"]);
        Assert.Equal(h.Endpoint, (string?)execute["attributes"]!["hearth.endpoint"]);
        Assert.Equal("sdk-worker", (string?)execute["attributes"]!["hearth.worker_id"]);
        foreach (var step in new[] { "step decompose", "step think" })
        {
            Assert.Equal((string?)execute["spanId"], (string?)Span(trace, step)!["parentSpanId"]);
            Assert.Equal("ok", (string?)Span(trace, step)!["status"]);
        }

        Assert.Equal("COMPLETED", (string?)job["attributes"]!["hearth.status"]);
    }

    private static async Task<JsonObject> TraceAsync(WorkerHarness h, string id) =>
        TestServer.Parse(await h.Server.Http(TestServer.AdminKey).GetStringAsync($"/api/jobs/{id}/trace"));

    private static JsonObject? Span(JsonObject trace, string name) =>
        trace["spans"]!.AsArray().Select(s => s!.AsObject()).FirstOrDefault(s => (string?)s["name"] == name);
}

using Hearth.Server.Tests.Fixtures;

namespace Hearth.Worker.Tests;

public sealed record Plan(string Query);

public sealed record Answer(string[] Parts, int Replayed);

/// <summary>Journaled steps: a worker that takes over a job skips the steps its predecessor finished.</summary>
public sealed class StepJournalTests(GarnetStoreFixture store) : IClassFixture<GarnetStoreFixture>
{
    [Fact]
    public async Task A_job_handed_to_another_worker_resumes_after_its_last_journaled_step()
    {
        await using var h = await WorkerHarness.StartAsync(store);
        var decomposed = 0;
        var firstSearchStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        JobHandler Handler(bool blockSearch) => JobHandler.Create<Plan, Answer>(async (plan, ctx, ct) =>
        {
            var parts = await ctx.StepAsync("decompose", _ =>
            {
                Interlocked.Increment(ref decomposed);
                return Task.FromResult(plan.Query.Split(' '));
            }, cancellationToken: ct);
            var found = new List<string>();
            foreach (var part in parts)
            {
                found.Add(await ctx.StepAsync("search", async token =>
                {
                    if (blockSearch && part == parts[^1])
                    {
                        firstSearchStarted.TrySetResult();
                        await Task.Delay(Timeout.Infinite, token);
                    }

                    return part.ToUpperInvariant();
                }, cancellationToken: ct));
            }

            return new Answer([.. found], ctx.ReplayedSteps);
        });

        var first = h.Options("worker-a");
        first.DrainWindow = TimeSpan.Zero;
        await h.RunAsync(Handler(blockSearch: true), first);
        var id = await h.Server.RunAsync(h.Endpoint, """{"input":{"query":"kv cache sizing"}}""");
        await firstSearchStarted.Task.WaitAsync(TimeSpan.FromSeconds(20));

        // Worker A goes away mid-job (drain window 0: the job is handed back at once, as after a lost lease).
        await h.StopWorkerAsync();
        using var b = new HearthWorker(Handler(blockSearch: false), h.Options("worker-b"));
        using var stop = new CancellationTokenSource();
        var running = b.RunAsync(stop.Token);

        var done = await h.Server.WaitForAsync(h.Endpoint, id, s => (string?)s["status"] == "COMPLETED");
        await stop.CancelAsync();
        await running;
        Assert.Equal("worker-b", (string?)done["workerId"]);
        Assert.Equal("""["KV","CACHE","SIZING"]""", done["output"]!["parts"]!.ToJsonString());
        Assert.Equal(1, decomposed);
        Assert.Equal(3, (int)done["output"]!["replayed"]!); // decompose, search, search[2] came from the journal
    }

    [Fact]
    public async Task A_handler_that_asks_the_same_step_the_same_thing_fails_with_loop_detected()
    {
        await using var h = await WorkerHarness.StartAsync(store);
        await h.RunAsync(JobHandler.Create<Plan, Answer>(async (plan, ctx, ct) =>
        {
            while (true)
            {
                // An agent that never gets a better idea: same step, same answer.
                await ctx.StepAsync("reflect", _ => Task.FromResult("I should think about it more"), cancellationToken: ct);
            }
        }));

        var id = await h.Server.RunAsync(h.Endpoint, """{"input":{"query":"q"}}""");
        var failed = await h.Server.WaitForAsync(h.Endpoint, id, s => (string?)s["status"] == "FAILED");
        Assert.Contains("loop_detected: step 'reflect' produced the same output 5 times in a row", (string)failed["error"]!);
    }

    [Fact]
    public async Task A_handler_past_max_steps_fails_with_loop_detected()
    {
        await using var h = await WorkerHarness.StartAsync(store);
        var options = h.Options();
        options.MaxSteps = 10;
        await h.RunAsync(JobHandler.Create<Plan, Answer>(async (plan, ctx, ct) =>
        {
            for (var i = 0; ; i++)
            {
                await ctx.StepAsync("next", _ => Task.FromResult(i), cancellationToken: ct);
            }
        }), options);

        var id = await h.Server.RunAsync(h.Endpoint, """{"input":{"query":"q"}}""");
        var failed = await h.Server.WaitForAsync(h.Endpoint, id, s => (string?)s["status"] == "FAILED");
        Assert.Contains("loop_detected: the job ran more than 10 steps", (string)failed["error"]!);
    }
}

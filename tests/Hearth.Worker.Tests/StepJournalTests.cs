using Hearth.Server.Tests.Fixtures;
using Hearth.Testing;

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
        await running.Within(TimeSpan.FromSeconds(30), "worker-b to stop after its cancellation");
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

    [Fact]
    public async Task Session_state_is_shared_by_a_sessions_jobs_and_survives_a_handoff_with_the_attempt_counted()
    {
        await using var h = await WorkerHarness.StartAsync(store);
        var blocked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        JobHandler Handler() => JobHandler.Create<Plan, Turn>(async (plan, ctx, ct) =>
        {
            var turns = await ctx.Session.GetAsync<int>("turns", cancellationToken: ct) + 1;
            await ctx.Session.SetAsync("turns", turns, cancellationToken: ct);
            if (plan.Query == "block" && ctx.Attempt == 1)
            {
                blocked.TrySetResult();
                await Task.Delay(Timeout.Infinite, ct);
            }

            return new Turn(turns, ctx.Attempt);
        });

        var first = h.Options("worker-a");
        first.DrainWindow = TimeSpan.Zero;
        await h.RunAsync(Handler(), first);
        var one = await h.Server.RunAsync(h.Endpoint, """{"input":{"query":"hi"},"session_id":"conv-1"}""");
        var done = await h.Server.WaitForAsync(h.Endpoint, one, s => (string?)s["status"] == "COMPLETED");
        Assert.Equal("""{"turns":1,"attempt":1}""", done["output"]!.ToJsonString());

        // The second job writes turns=2 and hangs; its worker goes away and another takes the job as attempt 2.
        var two = await h.Server.RunAsync(h.Endpoint, """{"input":{"query":"block"},"session_id":"conv-1"}""");
        await blocked.Task.WaitAsync(TimeSpan.FromSeconds(20));
        await h.StopWorkerAsync();
        using var b = new HearthWorker(Handler(), h.Options("worker-b"));
        using var stop = new CancellationTokenSource();
        var running = b.RunAsync(stop.Token);
        done = await h.Server.WaitForAsync(h.Endpoint, two, s => (string?)s["status"] == "COMPLETED");
        await stop.CancelAsync();
        await running.Within(TimeSpan.FromSeconds(30), "worker-b to stop after its cancellation");
        Assert.Equal("""{"turns":3,"attempt":2}""", done["output"]!.ToJsonString());
    }

    [Fact]
    public async Task A_checkpoint_over_10_MB_fails_with_a_clear_error_before_it_is_sent()
    {
        await using var h = await WorkerHarness.StartAsync(store);
        await h.RunAsync(JobHandler.Create<Plan, string>(async (plan, ctx, ct) =>
        {
            var big = new string('x', (10 * 1024 * 1024) + 1);
            await ctx.StepAsync("fetch", _ => Task.FromResult(big), cancellationToken: ct);
            return "unreachable";
        }));

        var id = await h.Server.RunAsync(h.Endpoint, """{"input":{"query":"q"}}""");
        var failed = await h.Server.WaitForAsync(h.Endpoint, id, s => (string?)s["status"] == "FAILED");
        Assert.Contains("the result of step 'fetch' is 10.0 MB of JSON; the limit is 10 MB", (string)failed["error"]!);
    }
}

public sealed record Turn(int Turns, int Attempt);

using Hearth.Server.Tests.Fixtures;
using Microsoft.Extensions.Time.Testing;

namespace Hearth.Worker.Tests;

/// <summary>The handler's token fires on timeout, on cancel, and when the worker lost its lease; SIGTERM drains.</summary>
public sealed class WorkerCancellationTests(GarnetStoreFixture store) : IClassFixture<GarnetStoreFixture>
{
    private static JobHandler Hang(
        TaskCompletionSource cancelled, TaskCompletionSource<CancellationToken>? token = null) =>
        JobHandler.Create<Greeting, Reply>(async (_, _, ct) =>
        {
            token?.TrySetResult(ct);
            try
            {
                await Task.Delay(Timeout.Infinite, ct);
            }
            catch (OperationCanceledException)
            {
                cancelled.TrySetResult();
                throw;
            }

            return new Reply("never");
        });

    [Fact]
    public async Task The_handler_observes_cancellation_when_the_job_times_out()
    {
        await using var h = await WorkerHarness.StartAsync(store, executionTimeoutMs: 5_000);
        var cancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var worker = await h.RunAsync(Hang(cancelled));
        var id = await h.Server.RunAsync(h.Endpoint, """{"input":{"name":"slow"}}""");
        await h.Server.WaitForAsync(h.Endpoint, id, s => (string?)s["status"] == "IN_PROGRESS");

        h.Server.Time.Advance(TimeSpan.FromSeconds(6));
        await h.Server.Sweeper.SweepOnceAsync();

        await cancelled.Task.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal("TIMED_OUT", (string?)(await h.Server.StatusAsync(h.Endpoint, id))["status"]);
        await h.WaitForRunningAsync(0);
    }

    [Fact]
    public async Task The_handler_observes_cancellation_when_the_client_cancels()
    {
        await using var h = await WorkerHarness.StartAsync(store);
        var cancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await h.RunAsync(Hang(cancelled));
        var id = await h.Server.RunAsync(h.Endpoint, """{"input":{"name":"slow"}}""");
        await h.Server.WaitForAsync(h.Endpoint, id, s => (string?)s["status"] == "IN_PROGRESS");
        await h.Server.Client.PostAsync($"/v2/{h.Endpoint}/cancel/{id}", null);
        await cancelled.Task.WaitAsync(TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task The_handler_observes_cancellation_when_the_lease_is_not_renewed_for_a_full_lease()
    {
        await using var h = await WorkerHarness.StartAsync(store);
        var cancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var options = h.Options();

        // Heartbeats go nowhere useful (a route that does not exist): the lease is never renewed, as in a partition.
        options.PingUrl = $"{h.Server.BaseUrl}/v2/{h.Endpoint}/no-such-route/$RUNPOD_POD_ID";
        var workerTime = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        var token = new TaskCompletionSource<CancellationToken>(TaskCreationOptions.RunContinuationsAsynchronously);
        await h.RunAsync(Hang(cancelled, token), options, workerTime);
        var id = await h.Server.RunAsync(h.Endpoint, """{"input":{"name":"partitioned"}}""");
        await h.WaitForRunningAsync(1);
        var handlerToken = await token.Task.WaitAsync(TimeSpan.FromSeconds(20));

        // The token itself, not the handler's reaction to it: a cancel is synchronous, the handler's catch block is
        // not, so only the token's state proves that the beat at 20 s did not stop the job.
        workerTime.Advance(TimeSpan.FromSeconds(20));
        await h.Worker!.BeatAsync(CancellationToken.None);
        Assert.False(handlerToken.IsCancellationRequested, "the job was stopped before its lease (30 s) ran out");

        workerTime.Advance(TimeSpan.FromSeconds(10));
        await h.Worker.BeatAsync(CancellationToken.None);
        await cancelled.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await h.WaitForRunningAsync(0);
    }

    [Fact]
    public async Task Stopping_the_worker_finishes_short_jobs_and_hands_back_the_rest()
    {
        await using var h = await WorkerHarness.StartAsync(store);
        var options = h.Options();
        options.Concurrency = 2;
        options.DrainWindow = TimeSpan.FromSeconds(1);
        var finishQuick = new TaskCompletionSource();
        var started = new CountdownEvent(2);
        await h.RunAsync(JobHandler.Create<Greeting, Reply>(async (g, _, ct) =>
        {
            started.Signal();
            if (g.Name == "quick")
            {
                await finishQuick.Task;
                return new Reply("quick done");
            }

            await Task.Delay(Timeout.Infinite, ct);
            return new Reply("never");
        }), options);

        var quick = await h.Server.RunAsync(h.Endpoint, """{"input":{"name":"quick"}}""");
        var slow = await h.Server.RunAsync(h.Endpoint, """{"input":{"name":"slow"}}""");
        Assert.True(started.Wait(TimeSpan.FromSeconds(20)));

        var stopping = h.StopWorkerAsync();
        finishQuick.SetResult();
        await stopping;

        Assert.Equal("COMPLETED", (string?)(await h.Server.StatusAsync(h.Endpoint, quick))["status"]);
        var handedBack = await h.Server.StatusAsync(h.Endpoint, slow);
        Assert.Equal("IN_QUEUE", (string?)handedBack["status"]);
    }

    [Fact]
    public void Options_name_every_missing_setting()
    {
        var problems = WorkerOptions.FromEnvironment(new Dictionary<string, string?>()).Problems();
        Assert.Contains(problems, p => p.Contains("RUNPOD_WEBHOOK_GET_JOB"));
        Assert.Contains(problems, p => p.Contains("RUNPOD_WEBHOOK_POST_OUTPUT"));
        Assert.Throws<InvalidOperationException>(() => new HearthWorker(JobHandler.Create<Greeting, Reply>((g, _, _) => Task.FromResult(new Reply(g.Name))), new WorkerOptions()));
    }
}

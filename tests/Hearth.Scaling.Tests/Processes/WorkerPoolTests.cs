using System.Threading.Channels;
using Hearth.Scaling.Processes;

using Hearth.Testing;

namespace Hearth.Scaling.Tests.Processes;

public sealed class WorkerPoolTests
{
    private readonly SignallingTimeProvider time = new();
    private readonly Channel<WorkerHandle> starts = Channel.CreateUnbounded<WorkerHandle>();

    private WorkerPool CreatePool(OutputCollector run, Func<string, WorkerLaunch> factory)
    {
        var pool = new WorkerPool("ep", run.Provider, factory, timeProvider: time);
        pool.WorkerStarted += (_, handle) => starts.Writer.TryWrite(handle);
        return pool;
    }

    [Fact]
    public async Task A_crashing_worker_is_restarted_with_backoff_and_the_pool_turns_unhealthy_after_3_quick_exits()
    {
        await using var run = new OutputCollector();
        await using var pool = CreatePool(run, id => Shell.Launch(id, $"echo 'boom in {id}' >&2; exit 3"));
        pool.SetDesired(1);
        await pool.StartAsync().Within(Shell.Patience, "the pool to start");

        var first = await starts.Reader.Next();
        Assert.Matches("^ep-[0-9a-f]{8}$", first.WorkerId);
        foreach (var (delay, healthyBefore) in new[] { (1, true), (2, true), (4, false), (8, false) })
        {
            var exit = await run.Exits.Next();
            Assert.Equal(3, exit.ExitCode);
            await time.WaitForTimerAsync(TimeSpan.FromSeconds(delay));
            Assert.Equal(healthyBefore, pool.State.Health == PoolHealth.Healthy);

            time.Fake.Advance(TimeSpan.FromSeconds(delay) - TimeSpan.FromMilliseconds(1));
            Assert.False(starts.Reader.TryRead(out _), $"restarted before the {delay} s backoff ended");
            time.Fake.Advance(TimeSpan.FromMilliseconds(1));
            await starts.Reader.Next();
        }

        Assert.Equal(4, pool.Restarts);
        Assert.Equal(PoolHealth.Unhealthy, pool.State.Health);
        Assert.Equal(3, pool.State.ExitCode);
        Assert.Contains("code 3", pool.State.Reason, StringComparison.Ordinal);
        Assert.Contains("boom in ep-", pool.State.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_worker_that_stayed_up_resets_the_backoff_and_the_health()
    {
        await using var run = new OutputCollector();
        var launches = 0;
        await using var pool = CreatePool(run, id => Interlocked.Increment(ref launches) <= 3
            ? Shell.Launch(id, "echo early crash >&2; exit 9")
            : Shell.Launch(id, "exec sleep 1000"));
        pool.SetDesired(1);
        await pool.StartAsync().Within(Shell.Patience, "the pool to start");
        await starts.Reader.Next();
        foreach (var delay in new[] { 1, 2, 4 })
        {
            await run.Exits.Next();
            await time.WaitForTimerAsync(TimeSpan.FromSeconds(delay));
            time.Fake.Advance(TimeSpan.FromSeconds(delay));
            await starts.Reader.Next();
        }

        Assert.Equal(PoolHealth.Unhealthy, pool.State.Health);
        var survivor = Assert.Single(pool.Workers);
        await time.WaitForTimerAsync(TimeSpan.FromSeconds(60));
        time.Fake.Advance(TimeSpan.FromSeconds(60));
        await WaitUntil(() => pool.State.Health == PoolHealth.Healthy, "the pool to turn healthy again");

        // Killed from outside: an exit the pool did not ask for, after a long uptime, so the backoff starts over.
        System.Diagnostics.Process.GetProcessById(survivor.ProcessId).Kill();
        Assert.False((await run.Exits.Next()).Requested);
        await time.WaitForTimerAsync(TimeSpan.FromSeconds(1));
        time.Fake.Advance(TimeSpan.FromSeconds(1));
        await starts.Reader.Next();
        Assert.Equal(PoolHealth.Healthy, pool.State.Health);
    }

    [Fact]
    public async Task SetDesired_scales_up_and_down_and_StopAsync_stops_every_worker()
    {
        await using var run = new OutputCollector();
        var pool = CreatePool(run, id => Shell.Launch(id, "trap 'exit 0' TERM; sleep 1000 & wait"));
        pool.SetDesired(3);
        await pool.StartAsync().Within(Shell.Patience, "the pool to start");
        var started = new[] { await starts.Reader.Next(), await starts.Reader.Next(), await starts.Reader.Next() };
        Assert.Equal(3, started.Select(h => h.WorkerId).Distinct().Count());

        pool.SetDesired(1);
        var stopped = new[] { await run.Exits.Next(), await run.Exits.Next() };
        Assert.All(stopped, exit => Assert.True(exit.Requested));
        await WaitUntil(() => pool.Workers.Count == 1, "the pool to be down to 1 worker");

        await pool.DisposeAsync().AsTask().Within(Shell.Patience, "the pool to stop every worker");

        Assert.True((await run.Exits.Next()).Requested);
        Assert.Empty(pool.Workers);
        Assert.Empty(run.Provider.Workers);
        foreach (var handle in started)
        {
            Assert.True(await Shell.DiesAsync(handle.ProcessId));
        }

        Assert.Equal(0, pool.Restarts);
    }

    [Fact]
    public async Task A_worker_that_cannot_start_turns_the_pool_unhealthy_with_the_error()
    {
        await using var run = new OutputCollector();
        await using var pool = CreatePool(run, id => new WorkerLaunch(id, "ep", "/nonexistent/worker", [], new Dictionary<string, string>()));
        pool.SetDesired(1);
        await pool.StartAsync().Within(Shell.Patience, "the pool to start");

        foreach (var delay in new[] { 1, 2 })
        {
            await time.WaitForTimerAsync(TimeSpan.FromSeconds(delay));
            time.Fake.Advance(TimeSpan.FromSeconds(delay));
        }

        await time.WaitForTimerAsync(TimeSpan.FromSeconds(4));
        Assert.Equal(PoolHealth.Unhealthy, pool.State.Health);
        Assert.Contains("/nonexistent/worker", pool.State.Reason, StringComparison.Ordinal);
    }

    // Polls a state the pool's loop publishes; bounded, and only yields to the loop, never sleeps.
    private static async Task WaitUntil(Func<bool> condition, string what)
    {
        using var timeout = new CancellationTokenSource(Shell.Patience);
        while (!condition())
        {
            if (timeout.IsCancellationRequested)
            {
                throw new TimeoutException($"Waited {Shell.Patience.TotalSeconds} s for {what}; it never happened.");
            }

            await Task.Yield();
        }
    }
}

using Hearth.Core.Scaling;

namespace Hearth.Core.Tests.Scaling;

/// <summary>The crash bookkeeping of an endpoint, on virtual time (dev and cluster share it).</summary>
public sealed class CrashLoopTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 7, 8, 0, 0, TimeSpan.Zero);
    private static readonly RestartPolicy Policy = new();

    [Fact]
    public void The_backoff_doubles_from_one_second_and_caps_at_thirty()
    {
        Assert.Equal([1, 2, 4, 8, 16, 30, 30, 30], Enumerable.Range(1, 8).Select(n => Policy.Backoff(n).TotalSeconds));
        Assert.Equal(TimeSpan.FromSeconds(30), Policy.Backoff(int.MaxValue));
        Assert.Throws<ArgumentOutOfRangeException>(() => Policy.Backoff(0));
    }

    [Fact]
    public void Each_quick_exit_pushes_the_next_start_back_and_the_third_makes_the_endpoint_unhealthy()
    {
        var loop = CrashLoop.None;
        var now = T0;
        Assert.True(loop.MayStart(now));
        foreach (var (backoff, unhealthy) in new[] { (1, false), (2, false), (4, true), (8, true) })
        {
            loop = loop.Exited("w-1", 3, ["boom: no model"], TimeSpan.FromSeconds(0.3), now, Policy);
            Assert.False(loop.MayStart(now + TimeSpan.FromSeconds(backoff) - TimeSpan.FromMilliseconds(1)));
            Assert.True(loop.MayStart(now + TimeSpan.FromSeconds(backoff)));
            Assert.Equal(unhealthy, loop.Unhealthy is not null);
            now += TimeSpan.FromSeconds(backoff);
        }

        Assert.Contains("exited with code 3 after 0.3 s", loop.Unhealthy, StringComparison.Ordinal);
        Assert.Contains("boom: no model", loop.Unhealthy, StringComparison.Ordinal);
        Assert.StartsWith("4 workers in a row exited within 60 s", loop.Unhealthy, StringComparison.Ordinal);
    }

    [Fact]
    public void A_worker_that_could_not_start_counts_like_a_crash_and_names_the_error()
    {
        var loop = CrashLoop.None;
        for (var i = 0; i < 3; i++)
        {
            loop = loop.Exited($"w-{i}", -1, ["/nonexistent/worker: not found"], TimeSpan.Zero, T0, Policy);
        }

        Assert.Contains("worker w-2 could not be started", loop.Unhealthy, StringComparison.Ordinal);
        Assert.Contains("/nonexistent/worker", loop.Unhealthy, StringComparison.Ordinal);
    }

    [Fact]
    public void A_worker_that_stays_up_for_the_stable_time_clears_the_backoff_and_the_health()
    {
        var loop = CrashLoop.None;
        for (var i = 0; i < 3; i++)
        {
            loop = loop.Exited($"w-{i}", 9, ["early crash"], TimeSpan.FromSeconds(1), T0, Policy);
        }

        var survivorStarted = T0 + TimeSpan.FromSeconds(4);
        Assert.Same(loop, loop.Running([survivorStarted], survivorStarted + TimeSpan.FromSeconds(59), Policy));
        var healed = loop.Running([survivorStarted], survivorStarted + TimeSpan.FromSeconds(60), Policy);
        Assert.Equal(CrashLoop.None, healed);

        // An exit after a long uptime starts the count over: one second of backoff, still healthy.
        var later = healed.Exited("w-3", 137, [], TimeSpan.FromMinutes(5), T0 + TimeSpan.FromMinutes(6), Policy);
        Assert.Null(later.Unhealthy);
        Assert.Equal(T0 + TimeSpan.FromMinutes(6) + TimeSpan.FromSeconds(1), later.NotBefore);
    }

    [Fact]
    public void A_long_lived_worker_that_exits_does_not_keep_an_old_unhealthy_reason()
    {
        var loop = CrashLoop.None;
        for (var i = 0; i < 3; i++)
        {
            loop = loop.Exited($"w-{i}", 1, ["x"], TimeSpan.FromSeconds(1), T0, Policy);
        }

        Assert.NotNull(loop.Unhealthy);
        Assert.Null(loop.Exited("w-9", 1, ["x"], TimeSpan.FromSeconds(61), T0, Policy).Unhealthy);
    }
}

using Hearth.Core.Scaling;

namespace Hearth.Core.Tests.Scaling;

/// <summary>The worker state machine on virtual time: each transition and when <c>Since</c> moves.</summary>
public sealed class ObservedWorkerTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Unseen = TimeSpan.FromSeconds(10);

    private static long Ms(double seconds) => T0.AddSeconds(seconds).ToUnixTimeMilliseconds();

    [Fact]
    public void A_worker_never_seen_stays_initializing_since_its_start()
    {
        var w = ObservedWorker.Starting(T0).Observe(null, holding: false, T0.AddMinutes(5), Unseen);
        Assert.Equal(new ObservedWorker(WorkerState.Initializing, T0), w);
    }

    [Fact]
    public void First_sight_makes_it_idle_or_running_from_that_moment()
    {
        var idle = ObservedWorker.Starting(T0).Observe(Ms(3), holding: false, T0.AddSeconds(4), Unseen);
        Assert.Equal(new ObservedWorker(WorkerState.Idle, T0.AddSeconds(4)), idle);
        var running = ObservedWorker.Starting(T0).Observe(Ms(3), holding: true, T0.AddSeconds(4), Unseen);
        Assert.Equal(new ObservedWorker(WorkerState.Running, T0.AddSeconds(4)), running);
    }

    [Fact]
    public void Idle_time_counts_from_becoming_idle_not_from_each_observation()
    {
        var w = ObservedWorker.Starting(T0).Observe(Ms(1), holding: true, T0.AddSeconds(1), Unseen)
            .Observe(Ms(5), holding: false, T0.AddSeconds(5), Unseen)
            .Observe(Ms(9), holding: false, T0.AddSeconds(9), Unseen)
            .Observe(Ms(14), holding: false, T0.AddSeconds(14), Unseen);
        Assert.Equal(new ObservedWorker(WorkerState.Idle, T0.AddSeconds(5)), w);
    }

    [Fact]
    public void Unseen_past_the_limit_is_unhealthy_and_seen_again_is_back()
    {
        var idle = ObservedWorker.Starting(T0).Observe(Ms(1), holding: false, T0.AddSeconds(1), Unseen);
        Assert.Equal(WorkerState.Idle, idle.Observe(Ms(1), holding: false, T0.AddSeconds(11), Unseen).State);
        var unhealthy = idle.Observe(Ms(1), holding: false, T0.AddSeconds(11.001), Unseen);
        Assert.Equal(new ObservedWorker(WorkerState.Unhealthy, T0.AddSeconds(11.001)), unhealthy);
        var back = unhealthy.Observe(Ms(20), holding: true, T0.AddSeconds(20), Unseen);
        Assert.Equal(new ObservedWorker(WorkerState.Running, T0.AddSeconds(20)), back);
    }
}

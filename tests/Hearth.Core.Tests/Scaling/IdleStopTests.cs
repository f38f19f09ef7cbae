using Hearth.Core.Scaling;

namespace Hearth.Core.Tests.Scaling;

public sealed class IdleStopTests
{
    private static ScalingScene FourIdle(int min) =>
        new ScalingScene(ScalingScene.Endpoint(min, 10))
            .With("a", WorkerState.Idle, 90).With("b", WorkerState.Idle, 200)
            .With("c", WorkerState.Idle, 61).With("d", WorkerState.Idle, 10);

    [Fact]
    public void Expired_idle_workers_stop_oldest_idle_first()
    {
        var decision = FourIdle(0).Decide();
        Assert.Equal(["b", "a", "c"], decision.Stop);
        Assert.Equal("3 workers idle 61–200 s >= idle timeout 60 s", decision.Reason);
    }

    [Theory]
    [InlineData(1, new[] { "b", "a", "c" })]
    [InlineData(2, new[] { "b", "a" })]
    [InlineData(3, new[] { "b" })]
    public void Stops_never_take_the_active_count_below_min(int min, string[] stopped) =>
        Assert.Equal(stopped, FourIdle(min).Decide().Stop);

    [Fact]
    public void Nothing_stops_at_min() => Assert.True(FourIdle(4).Decide().IsNone);

    [Fact]
    public void Running_and_initializing_workers_count_toward_the_floor()
    {
        var scene = new ScalingScene(ScalingScene.Endpoint(2, 10))
            .With("r", WorkerState.Running, 300).With("i", WorkerState.Initializing, 5)
            .With("x", WorkerState.Idle, 120).With("y", WorkerState.Idle, 100);
        Assert.Equal(["x", "y"], scene.Decide(inProgress: 1).Stop);
    }

    [Fact]
    public void Draining_workers_do_not_count_toward_the_floor()
    {
        var scene = new ScalingScene(ScalingScene.Endpoint(1, 10))
            .With("d", WorkerState.Draining, 300).With("x", WorkerState.Idle, 120);
        Assert.True(scene.Decide().IsNone);
    }

    [Fact]
    public void Exactly_the_idle_timeout_stops()
    {
        var decision = new ScalingScene(ScalingScene.Endpoint(0, 1, idleSeconds: 5)).With("w", WorkerState.Idle, 5).Decide();
        Assert.Equal(["w"], decision.Stop);
        Assert.Equal("idle 5 s = idle timeout 5 s", decision.Reason);
    }

    [Fact]
    public void No_stop_while_normal_jobs_are_queued()
    {
        var scene = new ScalingScene(ScalingScene.Endpoint(0, 10)).With("w", WorkerState.Idle, 600);
        Assert.True(scene.Decide(inQueue: 1, oldestWaitSeconds: 30).IsNone);
        Assert.Equal(["w"], scene.Decide().Stop);
    }

    [Fact]
    public void Ties_on_idle_since_break_by_worker_id()
    {
        var scene = new ScalingScene(ScalingScene.Endpoint(1, 10))
            .With("z", WorkerState.Idle, 100).With("m", WorkerState.Idle, 100);
        Assert.Equal(["m"], scene.Decide().Stop);
    }

    [Fact]
    public void Idle_time_comes_from_now_not_a_wall_clock()
    {
        var scene = new ScalingScene(ScalingScene.Endpoint(0, 10)).With("w", WorkerState.Idle);
        Assert.True(scene.Decide().IsNone);
        scene.Advance(59.9);
        Assert.True(scene.Decide().IsNone);
        scene.Advance(0.1);
        Assert.Equal(["w"], scene.Decide().Stop);
    }
}

using Hearth.Core.Endpoints;
using Hearth.Core.Scaling;

namespace Hearth.Core.Tests.Scaling;

public sealed class QueueDelayTests
{
    private static ScalingScene OneRunning(int max = 5, double value = 4) =>
        new ScalingScene(ScalingScene.Endpoint(0, max, value: value)).With("w1", WorkerState.Running, 30);

    [Theory]
    [InlineData(0)]
    [InlineData(3.9)]
    [InlineData(4)]
    public void Waits_at_or_below_the_threshold_start_nothing(double wait) =>
        Assert.True(OneRunning().Decide(inQueue: 2, oldestWaitSeconds: wait, inProgress: 1).IsNone);

    [Fact]
    public void A_wait_above_the_threshold_starts_one_more()
    {
        var decision = OneRunning().Decide(inQueue: 2, oldestWaitSeconds: 4.2, inProgress: 1);
        Assert.Equal(1, decision.Start);
        Assert.Empty(decision.Stop);
        Assert.Equal("queue delay 4.2 s > 4 s", decision.Reason);
    }

    [Fact]
    public void The_threshold_is_scaler_value_seconds()
    {
        Assert.True(OneRunning(value: 10).Decide(inQueue: 1, oldestWaitSeconds: 9).IsNone);
        Assert.Equal("queue delay 11 s > 10 s", OneRunning(value: 10).Decide(inQueue: 1, oldestWaitSeconds: 11).Reason);
    }

    [Fact]
    public void Scale_from_zero_does_not_wait_for_scaler_value()
    {
        var decision = new ScalingScene(ScalingScene.Endpoint(0, 3)).Decide(inQueue: 4, oldestWaitSeconds: 0);
        Assert.Equal(1, decision.Start);
        Assert.Equal("scale from zero: 4 jobs queued", decision.Reason);
    }

    [Theory]
    [InlineData(WorkerState.Initializing)]
    [InlineData(WorkerState.Idle)]
    public void No_stampede_while_a_worker_is_initializing_or_idle(WorkerState other)
    {
        var scene = OneRunning().With("w2", other, 40);
        Assert.True(scene.Decide(inQueue: 9, oldestWaitSeconds: 60, inProgress: 1).IsNone);
    }

    [Fact]
    public void Cold_start_slower_than_the_threshold_adds_one_worker_at_a_time()
    {
        var scene = OneRunning();
        Assert.Equal(1, scene.Decide(inQueue: 5, oldestWaitSeconds: 5, inProgress: 1).Start);
        scene.With("w2", WorkerState.Initializing);
        for (var i = 0; i < 6; i++)
        {
            scene.Advance(5);
            Assert.True(scene.Decide(inQueue: 5, oldestWaitSeconds: 10 + (5 * i), inProgress: 1).IsNone);
        }

        scene.Set("w2", WorkerState.Running);
        Assert.Equal(1, scene.Decide(inQueue: 4, oldestWaitSeconds: 40, inProgress: 2).Start);
    }

    [Fact]
    public void Never_starts_beyond_max() =>
        Assert.True(OneRunning(max: 1).Decide(inQueue: 50, oldestWaitSeconds: 600, inProgress: 1).IsNone);

    [Fact]
    public void Max_zero_never_scales_from_zero() =>
        Assert.True(new ScalingScene(ScalingScene.Endpoint(0, 0)).Decide(inQueue: 3, oldestWaitSeconds: 30).IsNone);

    [Theory]
    [InlineData(ScalerType.QueueDelay)]
    [InlineData(ScalerType.RequestCount)]
    public void Low_priority_jobs_alone_start_nothing(ScalerType scaler)
    {
        var empty = new ScalingScene(ScalingScene.Endpoint(0, 5, scaler, value: 1));
        Assert.True(empty.Decide(lowPriority: 50).IsNone);

        var busy = new ScalingScene(ScalingScene.Endpoint(0, 5, scaler, value: 1)).With("w1", WorkerState.Running, 10);
        Assert.True(busy.Decide(lowPriority: 50, inProgress: 1).IsNone);
    }

    [Fact]
    public void Draining_unhealthy_and_stopped_workers_are_not_active()
    {
        var scene = new ScalingScene(ScalingScene.Endpoint(2, 3))
            .With("r", WorkerState.Running, 10).With("d", WorkerState.Draining, 10)
            .With("u", WorkerState.Unhealthy, 10).With("s", WorkerState.Stopped, 10);
        var decision = scene.Decide();
        Assert.Equal(1, decision.Start);
        Assert.Equal("below minimum 2 (1 active)", decision.Reason);
    }

    [Fact]
    public void Draining_workers_do_not_use_up_max_and_do_not_block_scale_up()
    {
        var scene = new ScalingScene(ScalingScene.Endpoint(0, 2))
            .With("r", WorkerState.Running, 10).With("d1", WorkerState.Draining, 10).With("d2", WorkerState.Draining, 10);
        Assert.Equal(1, scene.Decide(inQueue: 1, oldestWaitSeconds: 5, inProgress: 1).Start);
    }

    [Fact]
    public void Only_draining_workers_count_as_zero_so_the_first_job_scales_from_zero()
    {
        var scene = new ScalingScene(ScalingScene.Endpoint(0, 2)).With("d", WorkerState.Draining, 10);
        Assert.Equal("scale from zero: 1 job queued", scene.Decide(inQueue: 1).Reason);
    }
}

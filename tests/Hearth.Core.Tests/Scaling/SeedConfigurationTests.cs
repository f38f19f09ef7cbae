using Hearth.Core.Scaling;

namespace Hearth.Core.Tests.Scaling;

/// <summary>The seed article's three settings: <c>workers=(0, n)</c>, <c>(1, n)</c> and <c>(3, n)</c>.</summary>
public sealed class SeedConfigurationTests
{
    [Fact]
    public void Zero_to_n_scales_from_zero_on_the_first_job_and_back_to_zero_after_the_idle_timeout()
    {
        var scene = new ScalingScene(ScalingScene.Endpoint(0, 5));
        Assert.True(scene.Decide().IsNone);

        var first = scene.Decide(inQueue: 1);
        Assert.Equal(1, first.Start);
        Assert.Equal("scale from zero: 1 job queued", first.Reason);

        scene.With("w1", WorkerState.Initializing);
        scene.Advance(25);
        Assert.True(scene.Decide(inQueue: 1, oldestWaitSeconds: 25).IsNone);

        scene.Set("w1", WorkerState.Running);
        Assert.True(scene.Decide(inProgress: 1).IsNone);

        scene.Set("w1", WorkerState.Idle);
        scene.Advance(59);
        Assert.True(scene.Decide().IsNone);

        scene.Advance(3);
        var stop = scene.Decide();
        Assert.Equal(["w1"], stop.Stop);
        Assert.Equal(0, stop.Start);
        Assert.Equal("idle 62 s > idle timeout 60 s", stop.Reason);

        scene.Set("w1", WorkerState.Stopped);
        Assert.True(scene.Decide().IsNone);
    }

    [Fact]
    public void One_to_n_keeps_one_worker_so_the_first_job_pays_no_cold_start()
    {
        var scene = new ScalingScene(ScalingScene.Endpoint(1, 5));
        var boot = scene.Decide();
        Assert.Equal(1, boot.Start);
        Assert.Equal("below minimum 1 (0 active)", boot.Reason);

        scene.With("w1", WorkerState.Idle, secondsAgo: 3600);
        Assert.True(scene.Decide().IsNone);

        scene.Advance(86_400);
        Assert.True(scene.Decide().IsNone);
        Assert.True(scene.Decide(inQueue: 1).IsNone);
    }

    [Fact]
    public void Three_to_n_always_keeps_three()
    {
        var scene = new ScalingScene(ScalingScene.Endpoint(3, 20));
        Assert.Equal(3, scene.Decide().Start);

        scene.With("a", WorkerState.Idle, 7200).With("b", WorkerState.Idle, 7200).With("c", WorkerState.Idle, 7200);
        Assert.True(scene.Decide().IsNone);

        scene.Set("b", WorkerState.Unhealthy);
        var replace = scene.Decide();
        Assert.Equal(1, replace.Start);
        Assert.Equal("below minimum 3 (2 active)", replace.Reason);
    }

    [Fact]
    public void Three_to_n_stops_only_the_idle_workers_above_three()
    {
        var scene = new ScalingScene(ScalingScene.Endpoint(3, 20))
            .With("a", WorkerState.Idle, 500).With("b", WorkerState.Idle, 400).With("c", WorkerState.Idle, 300)
            .With("d", WorkerState.Idle, 200).With("e", WorkerState.Idle, 100);

        Assert.Equal(["a", "b"], scene.Decide().Stop);
    }

    [Fact]
    public void None_is_none() => Assert.True(ScalingDecision.None.IsNone);
}

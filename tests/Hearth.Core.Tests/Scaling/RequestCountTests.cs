using Hearth.Core.Endpoints;
using Hearth.Core.Scaling;

namespace Hearth.Core.Tests.Scaling;

public sealed class RequestCountTests
{
    private static ScalingScene Scene(int min, int max, double value, int running)
    {
        var scene = new ScalingScene(ScalingScene.Endpoint(min, max, ScalerType.RequestCount, value));
        for (var i = 0; i < running; i++)
        {
            scene.With($"w{i}", WorkerState.Running, 10);
        }

        return scene;
    }

    [Theory]
    [InlineData(12, 3, 4, 10, 1, 3)]   // ceil(15/4) = 4, one running → 3
    [InlineData(1, 0, 4, 10, 0, 1)]    // ceil(1/4) = 1
    [InlineData(8, 0, 1, 10, 0, 8)]    // scaler_value 1 is one worker per request
    [InlineData(5, 4, 3, 10, 3, 0)]    // ceil(9/3) = 3, already 3
    [InlineData(40, 0, 1, 3, 0, 3)]    // wants 40, clamped to max 3
    [InlineData(40, 0, 1, 3, 3, 0)]    // at max
    [InlineData(7, 0, 2.5, 10, 1, 2)]  // ceil(7/2.5) = 3
    public void Wants_ceil_of_queued_plus_in_progress_over_scaler_value(long queued, long inProgress, double value, int max, int running, int start) =>
        Assert.Equal(start, Scene(0, max, value, running).Decide(inQueue: queued, inProgress: inProgress).Start);

    [Fact]
    public void Reason_shows_the_formula()
    {
        var decision = Scene(0, 10, 4, 1).Decide(inQueue: 12, inProgress: 3);
        Assert.Equal("want ceil((12 + 3) / 4) = 4 workers", decision.Reason);
    }

    [Fact]
    public void Reason_says_when_max_clamps()
    {
        var decision = Scene(0, 3, 1, 0).Decide(inQueue: 40);
        Assert.Equal(3, decision.Start);
        Assert.Equal("want ceil((40 + 0) / 1) = 40 workers, capped at max 3", decision.Reason);
    }

    [Fact]
    public void Minimum_applies_even_with_no_demand()
    {
        var decision = Scene(2, 5, 4, 0).Decide();
        Assert.Equal(2, decision.Start);
        Assert.StartsWith("below minimum 2", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Being_over_the_target_stops_nothing_until_idle_timeout()
    {
        var scene = Scene(0, 10, 1, 0).With("i1", WorkerState.Idle, 5).With("i2", WorkerState.Idle, 5);
        Assert.True(scene.Decide().IsNone);
        scene.Advance(60);
        Assert.Equal(["i1", "i2"], scene.Decide().Stop);
    }

    [Fact]
    public void Starting_never_stops_in_the_same_decision()
    {
        var scene = Scene(0, 10, 1, 1).With("old", WorkerState.Idle, 600);
        var decision = scene.Decide(inProgress: 8);
        Assert.Equal(6, decision.Start);
        Assert.Empty(decision.Stop);
    }
}

using Hearth.Core.Endpoints;
using Hearth.Core.Scaling;
using Microsoft.Extensions.Time.Testing;

namespace Hearth.Core.Tests.Scaling;

/// <summary>A fake clock plus an endpoint's workers, for driving <see cref="ScalingPolicy"/> step by step.</summary>
internal sealed class ScalingScene(EndpointSpec spec)
{
    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2025, 6, 1, 12, 0, 0, TimeSpan.Zero));

    public EndpointSpec Spec { get; } = spec;

    public List<WorkerSnapshot> Workers { get; } = [];

    public static EndpointSpec Endpoint(int min, int max, ScalerType scaler = ScalerType.QueueDelay, double value = 4, int idleSeconds = 60) =>
        new() { Name = "agent", WorkersMin = min, WorkersMax = max, ScalerType = scaler, ScalerValue = value, IdleTimeout = TimeSpan.FromSeconds(idleSeconds) };

    /// <summary>Adds a worker that entered <paramref name="state"/> <paramref name="secondsAgo"/> seconds ago.</summary>
    public ScalingScene With(string id, WorkerState state, double secondsAgo = 0)
    {
        Workers.Add(new(id, state, Clock.GetUtcNow() - TimeSpan.FromSeconds(secondsAgo)));
        return this;
    }

    /// <summary>Moves a worker to a new state as of now.</summary>
    public void Set(string id, WorkerState state)
    {
        var index = Workers.FindIndex(w => w.WorkerId == id);
        Workers[index] = new(id, state, Clock.GetUtcNow());
    }

    public void Advance(double seconds) => Clock.Advance(TimeSpan.FromSeconds(seconds));

    public ScalingDecision Decide(long inQueue = 0, double oldestWaitSeconds = 0, long inProgress = 0, long lowPriority = 0)
    {
        var snapshot = new EndpointSnapshot(Spec, inQueue, lowPriority, TimeSpan.FromSeconds(oldestWaitSeconds), inProgress, [.. Workers]);
        var decision = ScalingPolicy.Decide(snapshot, Clock.GetUtcNow());
        AssertWellFormed(decision);
        return decision;
    }

    /// <summary>Every decision starts or stops, never both; every non-None decision carries one readable line.</summary>
    private static void AssertWellFormed(ScalingDecision decision)
    {
        Assert.False(decision.Start > 0 && decision.Stop.Count > 0, "a decision must not both start and stop");
        Assert.True(decision.Start >= 0);
        if (!decision.IsNone)
        {
            Assert.False(string.IsNullOrWhiteSpace(decision.Reason));
            Assert.DoesNotContain('\n', decision.Reason);
        }
    }
}

using Hearth.Core.Endpoints;
using Hearth.Core.Scaling;

namespace Hearth.Core.Tests.Scaling;

/// <summary>Why an endpoint is not serving: each state, and which wins when several hold.</summary>
public sealed class EndpointConditionTests
{
    private static readonly EndpointSpec Spec = new() { Name = "tool", WorkersMin = 0, WorkersMax = 3 };
    private static readonly DateTimeOffset T0 = new(2026, 12, 7, 8, 0, 0, TimeSpan.Zero);

    private static CrashLoop Crashing()
    {
        var loop = CrashLoop.None;
        for (var i = 0; i < 3; i++)
        {
            loop = loop.Exited($"w-{i}", 3, ["no model"], TimeSpan.FromSeconds(1), T0, new RestartPolicy());
        }

        return loop;
    }

    [Fact]
    public void Each_state_with_its_reason()
    {
        Assert.Equal(("Idle", "scaled to zero (workers 0..3); the next job starts one"),
            EndpointCondition.Of(Spec, [], null, CrashLoop.None, null));
        Assert.Equal(("Scaling", "workers are starting"),
            EndpointCondition.Of(Spec, [WorkerState.Idle, WorkerState.Initializing], null, CrashLoop.None, null));
        Assert.Equal(("Ready", null), EndpointCondition.Of(Spec, [WorkerState.Running], null, CrashLoop.None, null));
        Assert.Equal(("Ready", "last kill: worker w-1 still running job j"),
            EndpointCondition.Of(Spec, [WorkerState.Idle], null, CrashLoop.None, "worker w-1 still running job j"));
        Assert.Equal(("Throttled", "no A100 free"), EndpointCondition.Of(Spec, [], "no A100 free", Crashing(), null));
    }

    [Fact]
    public void Crashes_outrank_starting_workers_and_throttling_only_shows_with_no_worker()
    {
        var (state, reason) = EndpointCondition.Of(Spec, [WorkerState.Initializing], "no A100 free", Crashing(), null);
        Assert.Equal("Unhealthy", state);
        Assert.Contains("exited with code 3", reason, StringComparison.Ordinal);
        Assert.Contains("no model", reason, StringComparison.Ordinal);
    }
}

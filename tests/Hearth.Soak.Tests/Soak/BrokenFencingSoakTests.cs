using Hearth.Soak.Checking;
using Hearth.Soak.Running;
using Xunit.Abstractions;

namespace Hearth.Soak.Tests.Soak;

/// <summary>
/// The checker must catch a broken build, or a green soak proves nothing (like the store kit's BrokenStoreTests): a
/// control plane whose done has no lease fencing (<see cref="FencelessStore"/>), workers paused past their lease while
/// slow jobs run, and the checker has to report jobs completed by fenced attempts.
/// </summary>
public sealed class BrokenFencingSoakTests(ITestOutputHelper output)
{
    [Fact]
    public async Task The_checker_catches_a_control_plane_without_lease_fencing()
    {
        FencelessStore.Unfenced = 0;
        var options = new SoakOptions
        {
            Jobs = 160, Minutes = 1, Seed = 19_003, LeaseMs = 3000, Workers = 4, FaultEverySeconds = 2.5,
            Mix = [("slow", 50), ("zombie", 50)], SlowMs = (5000, 8000),
            NoFaults = new HashSet<string>([FaultKinds.WorkerKill, FaultKinds.WorkerPauseShort, FaultKinds.ProxyLatency, FaultKinds.ProxyReset]),
        };

        var outcome = await SoakRunner.RunAsync(options, "broken-fencing", SoakAssert.Directory("broken-fencing"), new OutputWriter(output),
            soak => new InProcessPlane(soak, FencelessStore.Wrap), CancellationToken.None);

        SoakAssert.Print(output, outcome);
        output.WriteLine($"completions the fenceless store let through: {FencelessStore.Unfenced}");
        Assert.True(FencelessStore.Unfenced > 0, "no stale result reached the broken store: the scenario did not exercise fencing");
        Assert.NotEmpty(outcome.Check[Invariants.NoFencedCompletion].Violations);
    }
}

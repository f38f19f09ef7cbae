using Hearth.Soak.Running;
using Xunit.Abstractions;

namespace Hearth.Soak.Tests.Soak;

/// <summary>
/// The short chaos soak (issue 19): the real <c>hearth dev</c> and two real <c>hearth serve</c> replicas on a real
/// redis-server, real worker processes, the steady mix of jobs and every fault the mode can suffer; the history
/// checker must find no violation. The long run is a documented command (docs/soak.md).
/// </summary>
public sealed class ShortSoakTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Hearth_dev_under_2000_jobs_and_worker_faults_keeps_every_invariant()
    {
        var options = new SoakOptions { Jobs = 2000, Minutes = 2, Seed = 19_001, FaultEverySeconds = 5 };

        var outcome = await SoakRunner.RunAsync(options, "dev", SoakAssert.Directory("dev"), new OutputWriter(output), CancellationToken.None);

        SoakAssert.Print(output, outcome);
        Assert.True(SoakAssert.Acked(outcome) >= 1900, $"only {SoakAssert.Acked(outcome)} jobs acknowledged\n{SoakAssert.Summary(outcome)}");
        Assert.True(SoakAssert.Faults(outcome, FaultKinds.WorkerKill) > 0, "no worker was killed");
        Assert.True(outcome.Check.ViolationCount == 0, SoakAssert.Summary(outcome));
    }

    [Fact]
    public async Task Hearth_serve_replicas_under_jobs_and_replica_store_and_worker_faults_keep_every_invariant()
    {
        var options = new SoakOptions { Jobs = 1000, Minutes = 1.5, Seed = 19_002, FaultEverySeconds = 5 };

        var outcome = await SoakRunner.RunAsync(options, "serve", SoakAssert.Directory("serve"), new OutputWriter(output), CancellationToken.None);

        SoakAssert.Print(output, outcome);
        Assert.True(SoakAssert.Acked(outcome) >= 900, $"only {SoakAssert.Acked(outcome)} jobs acknowledged\n{SoakAssert.Summary(outcome)}");
        Assert.True(outcome.Check.ViolationCount == 0, SoakAssert.Summary(outcome));
    }
}

using Hearth.Core.Jobs;

namespace Hearth.Core.Tests.Jobs;

public sealed class JobStatusTests
{
    [Theory]
    [InlineData(JobStatus.Completed, true)]
    [InlineData(JobStatus.Failed, true)]
    [InlineData(JobStatus.Cancelled, true)]
    [InlineData(JobStatus.TimedOut, true)]
    [InlineData(JobStatus.InQueue, false)]
    [InlineData(JobStatus.InProgress, false)]
    [InlineData("RUNNING", false)]
    [InlineData(null, false)]
    public void Only_the_four_final_states_are_final(string? status, bool final) => Assert.Equal(final, JobStatus.IsFinal(status));

    [Fact]
    public void Wire_names_match_the_runpod_contract() =>
        Assert.Equal(["IN_QUEUE", "IN_PROGRESS", "COMPLETED", "FAILED", "CANCELLED", "TIMED_OUT"],
            [JobStatus.InQueue, JobStatus.InProgress, JobStatus.Completed, JobStatus.Failed, JobStatus.Cancelled, JobStatus.TimedOut]);

    [Fact]
    public void Limits_follow_the_spec()
    {
        Assert.Equal(10 * 1024 * 1024, JobLimits.MaxRunBodyBytes);
        Assert.Equal(20 * 1024 * 1024, JobLimits.MaxRunSyncBodyBytes);
        Assert.Equal(90_000, JobLimits.DefaultRunSyncWaitMs);
        Assert.True(JobLimits.MinWaitMs < JobLimits.DefaultRunSyncWaitMs && JobLimits.DefaultRunSyncWaitMs < JobLimits.MaxWaitMs);
        Assert.True(JobLimits.RunSyncRetentionMs < JobLimits.RunSyncMaxRetentionMs);
    }
}

using Hearth.Core.Endpoints;
using Hearth.Core.Lint;

namespace Hearth.Core.Tests.Lint;

public sealed class WorkerMinimumRuleTests
{
    [Theory]
    [InlineData(EndpointLatency.Realtime, 3)]
    [InlineData(EndpointLatency.Interactive, 1)]
    [InlineData(EndpointLatency.Batch, 0)]
    public void The_seed_minimum_for_each_latency_passes(EndpointLatency latency, int min) =>
        Assert.Empty(Lint.Rule("HL002", Lint.Clean with { Latency = latency, WorkersMin = min, WorkersMax = 10 }));

    [Fact]
    public void Scale_to_zero_on_a_realtime_endpoint_is_an_error_with_the_seed_setting()
    {
        var finding = Lint.Single("HL002", Lint.Clean with { WorkersMin = 0, WorkersMax = 20 });
        Assert.Equal(LintSeverity.Error, finding.Severity);
        Assert.Equal("endpoints[0].workers", finding.Path);
        Assert.Contains("workers: [3, 20]", finding.Fix, StringComparison.Ordinal);
        Assert.Contains("cold start", finding.Why, StringComparison.Ordinal);
    }

    [Fact]
    public void Two_warm_workers_are_still_too_few_for_realtime() =>
        Assert.Equal(LintSeverity.Error, Lint.Single("HL002", Lint.Clean with { WorkersMin = 2, WorkersMax = 2 }).Severity);

    [Fact]
    public void Scale_to_zero_on_an_interactive_endpoint_suggests_one_warm_worker_or_batch()
    {
        var finding = Lint.Single("HL002", Lint.Clean with { Latency = EndpointLatency.Interactive, WorkersMin = 0, WorkersMax = 5 });
        Assert.Contains("workers: [1, 5]", finding.Fix, StringComparison.Ordinal);
        Assert.Contains("latency: batch", finding.Fix, StringComparison.Ordinal);
    }
}

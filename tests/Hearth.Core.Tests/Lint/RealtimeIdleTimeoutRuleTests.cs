using Hearth.Core.Endpoints;
using Hearth.Core.Lint;

namespace Hearth.Core.Tests.Lint;

public sealed class RealtimeIdleTimeoutRuleTests
{
    [Fact]
    public void A_minute_or_more_passes() => Assert.Empty(Lint.Rule("HL008", Lint.Clean with { IdleTimeout = TimeSpan.FromSeconds(60) }));

    [Fact]
    public void A_short_idle_timeout_on_a_batch_endpoint_passes() =>
        Assert.Empty(Lint.Rule("HL008", Lint.Clean with { IdleTimeout = TimeSpan.FromSeconds(5), Latency = EndpointLatency.Batch }));

    [Fact]
    public void A_short_idle_timeout_on_a_realtime_endpoint_is_info()
    {
        var finding = Lint.Single("HL008", Lint.Clean with { IdleTimeout = TimeSpan.FromSeconds(10) });
        Assert.Equal(LintSeverity.Info, finding.Severity);
        Assert.Equal("endpoints[0].idle_timeout", finding.Path);
        Assert.Contains("10 s", finding.Message, StringComparison.Ordinal);
    }
}

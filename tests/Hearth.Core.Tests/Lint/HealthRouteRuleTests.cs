using Hearth.Core.Endpoints;
using Hearth.Core.Lint;

namespace Hearth.Core.Tests.Lint;

public sealed class HealthRouteRuleTests
{
    [Fact]
    public void A_load_balanced_endpoint_with_a_health_path_passes() =>
        Assert.Empty(Lint.Rule("HL006", Lint.Clean with { Type = EndpointType.LoadBalanced, HealthPath = "/ping" }));

    [Fact]
    public void Queue_endpoints_need_no_health_path() => Assert.Empty(Lint.Rule("HL006", Lint.Clean));

    [Fact]
    public void A_load_balanced_endpoint_without_a_health_path_is_an_error()
    {
        var finding = Lint.Single("HL006", Lint.Clean with { Type = EndpointType.LoadBalanced });
        Assert.Equal(LintSeverity.Error, finding.Severity);
        Assert.Equal("endpoints[0].health_path", finding.Path);
        Assert.Contains("health_path: /ping", finding.Fix, StringComparison.Ordinal);
    }
}

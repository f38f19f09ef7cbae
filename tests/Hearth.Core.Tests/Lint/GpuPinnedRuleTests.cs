using Hearth.Core.Endpoints;
using Hearth.Core.Lint;

namespace Hearth.Core.Tests.Lint;

public sealed class GpuPinnedRuleTests
{
    [Theory]
    [InlineData("NVIDIA A100 80GB PCIe")]
    [InlineData("NVIDIA GeForce RTX 4090")]
    public void A_pinned_gpu_type_passes(string gpu) => Assert.Empty(Lint.Rule("HL001", Lint.Clean with { Gpu = [gpu] }));

    [Fact]
    public void Any_on_a_realtime_endpoint_is_an_error_that_suggests_a_type()
    {
        var finding = Lint.Single("HL001", Lint.Clean with { Gpu = [GpuCatalog.Any] });
        Assert.Equal(LintSeverity.Error, finding.Severity);
        Assert.Equal("endpoints[0].gpu", finding.Path);
        Assert.Contains("'any'", finding.Message, StringComparison.Ordinal);
        Assert.Contains("NVIDIA A100 80GB PCIe", finding.Fix, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(EndpointLatency.Interactive, LintSeverity.Warning)]
    [InlineData(EndpointLatency.Batch, LintSeverity.Info)]
    public void Any_is_milder_when_latency_matters_less(EndpointLatency latency, LintSeverity expected) =>
        Assert.Equal(expected, Lint.Single("HL001", Lint.Clean with { Gpu = [GpuCatalog.Any], Latency = latency }).Severity);

    [Fact]
    public void A_pool_in_a_list_is_reported_at_its_index()
    {
        var finding = Lint.Single("HL001", Lint.Clean with { Gpu = ["NVIDIA H100 80GB HBM3", "AMPERE_80"] });
        Assert.Equal("endpoints[0].gpu[1]", finding.Path);
        Assert.Contains("AMPERE_80", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Cpu_endpoints_are_not_judged() =>
        Assert.Empty(Lint.Rule("HL001", Lint.Clean with { Gpu = [], Cpu = "cpu5c-4-8" }));
}

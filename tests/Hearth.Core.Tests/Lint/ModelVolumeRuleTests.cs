using Hearth.Core.Endpoints;
using Hearth.Core.Lint;

namespace Hearth.Core.Tests.Lint;

public sealed class ModelVolumeRuleTests
{
    private static readonly ModelSpec Llama = new("models/llama-70b/config.json");

    [Fact]
    public void A_model_with_a_volume_passes() => Assert.Empty(Lint.Rule("HL004", Lint.Clean with { Model = Llama }));

    [Fact]
    public void A_gpu_endpoint_without_a_declared_model_is_not_judged() =>
        Assert.Empty(Lint.Rule("HL004", Lint.Clean with { Volume = null }));

    [Fact]
    public void A_model_without_a_volume_is_a_warning_with_a_volume_in_the_endpoints_datacenter()
    {
        var finding = Lint.Single("HL004", Lint.Clean with { Model = Llama, Volume = null });
        Assert.Equal(LintSeverity.Warning, finding.Severity);
        Assert.Equal("endpoints[0].volume", finding.Path);
        Assert.Contains("datacenter: US-GA-2", finding.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void Cpu_endpoints_are_not_judged() =>
        Assert.Empty(Lint.Rule("HL004", Lint.Clean with { Gpu = [], Cpu = "cpu5c-4-8", Model = Llama, Volume = null }));
}

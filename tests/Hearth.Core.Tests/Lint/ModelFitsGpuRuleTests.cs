using Hearth.Core.Endpoints;
using Hearth.Core.Lint;

namespace Hearth.Core.Tests.Lint;

public sealed class ModelFitsGpuRuleTests
{
    private static readonly string Configs = Path.Combine(AppContext.BaseDirectory, "Memory", "configs");

    private static IReadOnlyList<LintFinding> Lint(string config, params string[] gpu) =>
        Linter.Run([new EndpointSpec
        {
            Name = "llm", Gpu = gpu, WorkersMin = 1, WorkersMax = 2, ExecutionTimeoutMs = 60_000,
            Model = new ModelSpec(config, "fp16", MaxContext: 32768, Concurrency: 1), Volume = new VolumeSpec("w", 200),
        }], new LintContext { TracingConfigured = true, BaseDirectory = Configs }).Where(f => f.RuleId == "HL010").ToList();

    [Fact]
    public void A_70B_model_at_32k_in_fp16_fits_no_80_GB_card()
    {
        var finding = Assert.Single(Lint("llama-3-70b.json", "NVIDIA A100 80GB PCIe"));
        Assert.Equal(LintSeverity.Error, finding.Severity);
        Assert.Contains("NVIDIA A100 80GB PCIe (80 GB)", finding.Message);
        Assert.Contains("hearth plan", finding.Fix);
    }

    [Fact]
    public void An_8B_model_fits_an_A100_and_is_not_reported()
    {
        Assert.Empty(Lint("llama-3-8b.json", "NVIDIA A100 80GB PCIe"));
    }

    [Fact]
    public void A_priority_list_with_one_card_too_small_is_a_warning_naming_it()
    {
        var finding = Assert.Single(Lint("llama-3-8b.json", "NVIDIA A100 80GB PCIe", "NVIDIA RTX A4000"));
        Assert.Equal(LintSeverity.Warning, finding.Severity);
        Assert.Contains("NVIDIA RTX A4000", finding.Message);
    }

    [Fact]
    public void A_missing_config_is_an_error_on_the_config_path()
    {
        var finding = Assert.Single(Lint("nope.json", "NVIDIA A100 80GB PCIe"));
        Assert.EndsWith(".model.config", finding.Path);
    }
}

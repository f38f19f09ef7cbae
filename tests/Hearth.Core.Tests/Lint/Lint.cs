using Hearth.Core.Endpoints;
using Hearth.Core.Lint;

namespace Hearth.Core.Tests.Lint;

/// <summary>Runs one rule over endpoints built from a clean, production-ready base.</summary>
internal static class Lint
{
    /// <summary>An endpoint every rule accepts: the seed's orchestrator.</summary>
    public static EndpointSpec Clean { get; } = new()
    {
        Name = "agent-orchestrator",
        Gpu = ["NVIDIA A100 80GB PCIe"],
        Datacenter = "US-GA-2",
        WorkersMin = 3,
        WorkersMax = 20,
        IdleTimeout = TimeSpan.FromSeconds(1800),
        ExecutionTimeoutMs = 120_000,
        Volume = new VolumeSpec("model-weights", 50, "US-GA-2"),
        Latency = EndpointLatency.Realtime,
    };

    public static LintContext Traced { get; } = new() { TracingConfigured = true };

    public static IReadOnlyList<LintFinding> Rule(string ruleId, EndpointSpec spec, LintContext? context = null) =>
        Rule(ruleId, [spec], context);

    public static IReadOnlyList<LintFinding> Rule(string ruleId, IReadOnlyList<EndpointSpec> specs, LintContext? context = null) =>
        Linter.Run(specs, context ?? Traced, Linter.Rules.Where(r => r.Id == ruleId));

    public static LintFinding Single(string ruleId, EndpointSpec spec, LintContext? context = null)
    {
        var finding = Assert.Single(Rule(ruleId, spec, context));
        Assert.Equal(ruleId, finding.RuleId);
        Assert.False(string.IsNullOrWhiteSpace(finding.Why));
        Assert.False(string.IsNullOrWhiteSpace(finding.Fix));
        return finding;
    }
}

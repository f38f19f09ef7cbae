using Hearth.Core.Endpoints;

namespace Hearth.Core.Lint.Rules;

/// <summary>HL003: every endpoint declares an execution timeout, and it is not 0 (seed: "Timeouts
/// configured").</summary>
internal sealed class ExecutionTimeoutRule : EndpointLintRule
{
    public override string Id => "HL003";

    public override string Name => "execution-timeout";

    protected override void Check(EndpointSpec spec, string path, ICollection<LintFinding> findings)
    {
        var example = spec.Latency == EndpointLatency.Batch
            ? "600000 (10 minutes) for batch work" : "60000 (one minute) for an API, 120000 for reasoning loops";
        if (spec.ExecutionTimeoutMs is null)
        {
            Add(findings, LintSeverity.Warning, $"{path}.execution_timeout_ms",
                "execution_timeout_ms is not set, so the platform default of 600 s applies",
                "a hung job holds a worker for ten minutes before it fails; the ceiling should be a decision, not a "
                + "default (seed checklist: execution_timeout_ms set on every endpoint)",
                $"set it explicitly, tighter than you think you need, e.g. execution_timeout_ms: {example}.");
        }
        else if (spec.ExecutionTimeoutMs == 0)
        {
            Add(findings, LintSeverity.Error, $"{path}.execution_timeout_ms",
                "execution_timeout_ms is 0: jobs have no ceiling",
                "a hung job (an infinite reasoning loop, a stuck scraper) pins a worker forever instead of failing "
                + "cleanly (seed checklist: timeouts configured)",
                $"set a ceiling, e.g. execution_timeout_ms: {example}.");
        }
    }
}

using Hearth.Core.Endpoints;

namespace Hearth.Core.Lint.Rules;

/// <summary>HL007: traces are exported somewhere (seed: "Trace reasoning loops").</summary>
internal sealed class TracingRule : ILintRule
{
    public string Id => "HL007";

    public string Name => "tracing";

    public void Check(IReadOnlyList<EndpointSpec> specs, LintContext context, ICollection<LintFinding> findings)
    {
        if (context.TracingConfigured || specs.Count == 0)
        {
            return;
        }

        findings.Add(new(Id, LintSeverity.Warning, "tracing", "no trace exporter is configured",
            "when a job inevitably fails inside a reasoning loop, there is no trace showing which step went wrong "
            + "(seed checklist: trace reasoning loops)",
            "add tracing: {otlp_endpoint: http://localhost:4317} to hearth.yaml, or set OTEL_EXPORTER_OTLP_ENDPOINT."));
    }
}

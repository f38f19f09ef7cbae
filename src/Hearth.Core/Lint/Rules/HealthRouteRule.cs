using Hearth.Core.Endpoints;

namespace Hearth.Core.Lint.Rules;

/// <summary>HL006: a load-balanced endpoint declares its workers' health route (seed: "Health check route").</summary>
internal sealed class HealthRouteRule : EndpointLintRule
{
    public override string Id => "HL006";

    public override string Name => "health-route";

    protected override void Check(EndpointSpec spec, string path, ICollection<LintFinding> findings)
    {
        if (spec.Type != EndpointType.LoadBalanced || !string.IsNullOrWhiteSpace(spec.HealthPath))
        {
            return;
        }

        Add(findings, LintSeverity.Error, $"{path}.health_path",
            "a load-balanced endpoint declares no health_path",
            "requests are proxied straight to workers, so without a health route one that is still loading or has hung "
            + "keeps receiving traffic (seed checklist: health check route on all load-balanced endpoints)",
            "serve a route that answers 200 only when the worker is ready and declare it, e.g. health_path: /ping.");
    }
}

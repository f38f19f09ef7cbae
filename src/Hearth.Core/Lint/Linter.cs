using Hearth.Core.Endpoints;
using Hearth.Core.Lint.Rules;

namespace Hearth.Core.Lint;

/// <summary>
/// Checks endpoint definitions against the seed article's production checklist (<c>hearth lint</c>). Definitions
/// should already pass <see cref="EndpointSpecValidator"/>: the linter judges valid settings, it does not re-validate.
/// Every rule is listed with its failure and fix in <c>docs/lint.md</c>.
/// </summary>
public static class Linter
{
    /// <summary>Every rule, in id order.</summary>
    public static IReadOnlyList<ILintRule> Rules { get; } =
    [
        new GpuPinnedRule(),
        new WorkerMinimumRule(),
        new ExecutionTimeoutRule(),
        new ModelVolumeRule(),
        new SecretLiteralRule(),
        new HealthRouteRule(),
        new TracingRule(),
        new RealtimeIdleTimeoutRule(),
        new VolumeDatacenterRule(),
        new ModelFitsGpuRule(),
        new CallsKnownRule(),
    ];

    /// <summary>Runs every rule.</summary>
    /// <param name="specs">The endpoints deployed together, in declaration order.</param>
    /// <param name="context">What else is known, e.g. whether tracing is configured.</param>
    /// <returns>Every finding, endpoint by endpoint (file-wide findings last), by rule id within an endpoint.</returns>
    public static IReadOnlyList<LintFinding> Run(IReadOnlyList<EndpointSpec> specs, LintContext context) =>
        Run(specs, context, Rules);

    /// <summary>Runs the given rules.</summary>
    /// <param name="specs">The endpoints deployed together, in declaration order.</param>
    /// <param name="context">What else is known, e.g. whether tracing is configured.</param>
    /// <param name="rules">The rules to run.</param>
    /// <returns>Every finding, endpoint by endpoint (file-wide findings last), by rule id within an endpoint.</returns>
    public static IReadOnlyList<LintFinding> Run(
        IReadOnlyList<EndpointSpec> specs, LintContext context, IEnumerable<ILintRule> rules)
    {
        ArgumentNullException.ThrowIfNull(specs);
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(rules);
        var findings = new List<LintFinding>();
        foreach (var rule in rules)
        {
            rule.Check(specs, context, findings);
        }

        return [.. findings.OrderBy(f => EndpointIndex(f.Path, context.PathPrefix))
            .ThenBy(f => f.RuleId, StringComparer.Ordinal)];
    }

    /// <summary>The endpoint index a finding path starts with (<c>endpoints[2].gpu</c> gives 2), or null for a
    /// file-wide path.</summary>
    /// <param name="path">A finding path.</param>
    /// <param name="pathPrefix">Name of the endpoint list; default <c>endpoints</c>.</param>
    /// <returns>The index, or null.</returns>
    public static int? EndpointIndexOf(string path, string pathPrefix = "endpoints")
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(pathPrefix);
        if (!path.StartsWith(pathPrefix + "[", StringComparison.Ordinal))
        {
            return null;
        }

        var start = pathPrefix.Length + 1;
        var end = path.IndexOf(']', start);
        return end > start && int.TryParse(path.AsSpan(start, end - start), System.Globalization.NumberStyles.None,
            System.Globalization.CultureInfo.InvariantCulture, out var index) ? index : null;
    }

    private static int EndpointIndex(string path, string prefix) => EndpointIndexOf(path, prefix) ?? int.MaxValue;
}

using Hearth.Core.Endpoints;

namespace Hearth.Core.Lint;

/// <summary>A rule that looks at one endpoint at a time; the base class walks the list and builds each path.</summary>
public abstract class EndpointLintRule : ILintRule
{
    /// <inheritdoc />
    public abstract string Id { get; }

    /// <inheritdoc />
    public abstract string Name { get; }

    /// <inheritdoc />
    public void Check(IReadOnlyList<EndpointSpec> specs, LintContext context, ICollection<LintFinding> findings)
    {
        ArgumentNullException.ThrowIfNull(specs);
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(findings);
        for (var i = 0; i < specs.Count; i++)
        {
            if (specs[i] is { } spec)
            {
                Check(spec, $"{context.PathPrefix}[{i}]", findings);
            }
        }
    }

    /// <summary>Checks one endpoint.</summary>
    /// <param name="spec">The endpoint.</param>
    /// <param name="path">Its path, e.g. <c>endpoints[2]</c>; findings append the field, e.g.
    /// <c>endpoints[2].gpu</c>.</param>
    /// <param name="findings">Where findings go.</param>
    protected abstract void Check(EndpointSpec spec, string path, ICollection<LintFinding> findings);

    /// <summary>Adds a finding of this rule.</summary>
    /// <param name="findings">Where findings go.</param>
    /// <param name="severity">How much it matters.</param>
    /// <param name="path">Where.</param>
    /// <param name="message">What was found.</param>
    /// <param name="why">The failure it prevents.</param>
    /// <param name="fix">How to fix it.</param>
    protected void Add(
        ICollection<LintFinding> findings, LintSeverity severity, string path, string message, string why, string fix)
    {
        ArgumentNullException.ThrowIfNull(findings);
        findings.Add(new(Id, severity, path, message, why, fix));
    }
}

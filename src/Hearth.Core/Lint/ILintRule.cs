using Hearth.Core.Endpoints;

namespace Hearth.Core.Lint;

/// <summary>One production rule of <c>hearth lint</c>: a single concern, its own id, findings with a why and a
/// fix.</summary>
public interface ILintRule
{
    /// <summary>Stable id, e.g. <c>HL001</c>; never reused for another rule.</summary>
    string Id { get; }

    /// <summary>Short kebab-case name, e.g. <c>gpu-pinned</c>.</summary>
    string Name { get; }

    /// <summary>Checks endpoints that are deployed together and adds a finding for each thing wrong.</summary>
    /// <param name="specs">The endpoints, in declaration order (null entries are skipped).</param>
    /// <param name="context">What else is known, e.g. whether tracing is configured.</param>
    /// <param name="findings">Where findings go.</param>
    void Check(IReadOnlyList<EndpointSpec> specs, LintContext context, ICollection<LintFinding> findings);
}

using Hearth.Core.Endpoints;

namespace Hearth.Core.Lint.Rules;

/// <summary>HL011: every endpoint named in <c>calls</c> is deployed with it, and no endpoint calls itself through
/// <c>calls</c>.</summary>
internal sealed class CallsKnownRule : ILintRule
{
    public string Id => "HL011";

    public string Name => "calls-known";

    public void Check(IReadOnlyList<EndpointSpec> specs, LintContext context, ICollection<LintFinding> findings)
    {
        ArgumentNullException.ThrowIfNull(specs);
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(findings);
        var names = specs.Where(s => s is not null).Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        for (var i = 0; i < specs.Count; i++)
        {
            if (specs[i] is not { } spec)
            {
                continue;
            }

            for (var c = 0; c < spec.Calls.Count; c++)
            {
                var callee = spec.Calls[c];
                var path = $"{context.PathPrefix}[{i}].calls[{c}]";
                if (!names.Contains(callee))
                {
                    findings.Add(new(Id, LintSeverity.Error, path, $"'{callee}' is not an endpoint of this file",
                        "the workers' call key may only reach the endpoints listed; a call to one that is not "
                        + "deployed answers 404 at run time",
                        $"declare '{callee}' in endpoints, or fix the name ({string.Join(", ", names.Order())})."));
                }
                else if (callee == spec.Name)
                {
                    findings.Add(new(Id, LintSeverity.Warning, path, "the endpoint calls itself",
                        "a job that waits on a job of its own endpoint can hold every worker and deadlock the queue",
                        "split the recursive step into an endpoint of its own, or run it in the same job."));
                }
            }
        }
    }
}

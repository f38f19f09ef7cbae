using Hearth.Core.Endpoints;

namespace Hearth.Core.Lint.Rules;

/// <summary>HL005: no secret written into <c>env</c> as a literal (seed: "No hardcoded config: everything sensitive
/// goes through env").</summary>
internal sealed class SecretLiteralRule : EndpointLintRule
{
    public override string Id => "HL005";

    public override string Name => "secret-literal";

    protected override void Check(EndpointSpec spec, string path, ICollection<LintFinding> findings)
    {
        foreach (var (name, value) in (spec.Env ?? new Dictionary<string, string>())
            .OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            if (string.IsNullOrWhiteSpace(value) || SecretShapes.IsReference(value))
            {
                continue;
            }

            // Values containing a ${NAME} reference are judged by their literal remainder only.
            var shape = SecretShapes.DescribeShape(value);
            var byName = shape is null && !value.Contains("${", StringComparison.Ordinal)
                && SecretShapes.IsSecretName(name);
            if (shape is null && !byName)
            {
                continue;
            }

            // Never echo the value: the finding itself must not leak the secret into terminals and CI logs.
            var what = shape is not null
                ? $"env {name} holds {shape} as a literal"
                : $"env {name} is named like a secret and holds a literal value";
            Add(findings, LintSeverity.Error, $"{path}.env.{name}", what,
                "a key in hearth.yaml is committed to git, copied into every worker and shown to anyone who reads the "
                + "file; rotating it means a redeploy (seed checklist: no hardcoded config, "
                + "everything sensitive through env)",
                $"reference it: {name}: ${{{name}}}, or set {name} in the environment hearth runs "
                + "in; then rotate the exposed key.");
        }
    }
}

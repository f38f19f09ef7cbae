namespace Hearth.Core.Lint;

/// <summary>One thing <see cref="Linter"/> found: which rule, how bad, where, what, why it matters and how to fix
/// it.</summary>
/// <param name="RuleId">The rule's id, e.g. <c>HL003</c> (listed in <c>docs/lint.md</c>).</param>
/// <param name="Severity">How much it matters.</param>
/// <param name="Path">Where, in the definition's structure, e.g. <c>endpoints[0].execution_timeout_ms</c>.</param>
/// <param name="Message">What was found, without a trailing period. Never contains a secret's value.</param>
/// <param name="Why">One line naming the production failure the rule prevents.</param>
/// <param name="Fix">How to fix it, as a full sentence.</param>
public sealed record LintFinding(
    string RuleId, LintSeverity Severity, string Path, string Message, string Why, string Fix)
{
    /// <summary>Formats the finding as <c>ERROR HL003 path: message — why Fix: fix</c>.</summary>
    /// <returns>The one-line description shown to users.</returns>
    public override string ToString() =>
        $"{SeverityLabel(Severity)} {RuleId} {Path}: {Message.TrimEnd('.')} — {Why.TrimEnd('.')}. Fix: {Fix}";

    /// <summary>The upper-case label of a severity as text output shows it: <c>ERROR</c>, <c>WARNING</c> or
    /// <c>INFO</c>.</summary>
    /// <param name="severity">The severity.</param>
    /// <returns>The label.</returns>
    public static string SeverityLabel(LintSeverity severity) => severity switch
    {
        LintSeverity.Error => "ERROR",
        LintSeverity.Warning => "WARNING",
        _ => "INFO",
    };
}

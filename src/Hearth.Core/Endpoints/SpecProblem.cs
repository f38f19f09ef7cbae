namespace Hearth.Core.Endpoints;

/// <summary>
/// One thing wrong with an endpoint definition: where it is, what was found, what is wrong and how to fix it.
/// Validation reports every problem at once, so a user fixes a file in one pass.
/// </summary>
/// <param name="Path">Where the problem is, in the definition's own structure (e.g.
/// <c>endpoints[2].workers</c>).</param>
/// <param name="Value">The offending value as written, or null when the value is missing.</param>
/// <param name="Message">What is wrong, without a trailing period (e.g. <c>min is greater than max</c>).</param>
/// <param name="Fix">How to fix it, as a full sentence (e.g. <c>make min ≤ max, e.g. [2, 5].</c>).</param>
public sealed record SpecProblem(string Path, string? Value, string Message, string Fix)
{
    /// <summary>Formats the problem as <c>path: value — message. Fix: fix</c>.</summary>
    /// <returns>The one-line description shown to users.</returns>
    public override string ToString()
    {
        var where = Value is null ? Path : $"{Path}: {Value}";
        return $"{where} — {Message.TrimEnd('.')}. Fix: {Fix}";
    }
}

using System.Text.RegularExpressions;

namespace Hearth.App.Hosting;

/// <summary>
/// <c>${NAME}</c> in an endpoint's <c>env:</c> refers to the environment Hearth runs in, so secrets stay out of
/// hearth.yaml (the linter's HL005 asks for exactly this).
/// </summary>
internal static partial class EnvReferences
{
    [GeneratedRegex(@"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")]
    private static partial Regex Reference();

    /// <summary>The names <paramref name="value"/> refers to that are not set.</summary>
    public static IEnumerable<string> Missing(string value) =>
        Reference().Matches(value).Select(m => m.Groups[1].Value)
            .Where(n => Environment.GetEnvironmentVariable(n) is null).Distinct();

    /// <summary>The value with every reference replaced by the variable's value.</summary>
    public static string Expand(string value) =>
        Reference().Replace(value, m => Environment.GetEnvironmentVariable(m.Groups[1].Value) ?? string.Empty);
}

using System.Text.RegularExpressions;

namespace Hearth.Core.Lint.Rules;

/// <summary>Recognises secrets in <c>env</c>: by the variable's name, or by the value's shape.</summary>
internal static partial class SecretShapes
{
    // Whole name segments, so MAX_TOKENS or KEYBOARD_LAYOUT are not taken for secrets.
    private static readonly HashSet<string> SecretWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "KEY", "APIKEY", "TOKEN", "SECRET", "PASSWORD", "PASSWD", "PWD", "CREDENTIAL", "CREDENTIALS", "PRIVATE",
    };

    /// <summary>True when the value is only references such as <c>${OPENAI_API_KEY}</c>, which are resolved from the
    /// environment.</summary>
    public static bool IsReference(string value) => ReferencePattern().IsMatch(value);

    /// <summary>True when the variable's name says it holds a secret (a segment KEY, TOKEN, SECRET,
    /// PASSWORD…).</summary>
    public static bool IsSecretName(string name) =>
        name.Split('_', StringSplitOptions.RemoveEmptyEntries).Any(SecretWords.Contains);

    /// <summary>What kind of key the value looks like (e.g. <c>an OpenAI-style key (sk-…)</c>), or null.</summary>
    public static string? DescribeShape(string value)
    {
        var text = ReferenceInside().Replace(value, string.Empty).Trim();
        return text switch
        {
            _ when KnownPrefix().Match(text) is { Success: true } m => $"a key shaped like '{m.Groups[1].Value}…'",
            _ when AwsAccessKey().IsMatch(text) => "an AWS access key id",
            _ when Jwt().IsMatch(text) => "a JSON web token",
            _ when UrlWithPassword().IsMatch(text) => "a URL with a password in it",
            _ when LongHex().IsMatch(text) => "a long hex string",
            _ when LongBase64().IsMatch(text) && text.Any(char.IsAsciiDigit) && text.Any(char.IsAsciiLetterUpper)
                && text.Any(char.IsAsciiLetterLower) =>
                "a long base64 string",
            _ => null,
        };
    }

    [GeneratedRegex(@"^(?:\$\{[A-Za-z_][A-Za-z0-9_]*\})+$", RegexOptions.CultureInvariant)]
    private static partial Regex ReferencePattern();

    [GeneratedRegex(@"\$\{[A-Za-z_][A-Za-z0-9_]*\}", RegexOptions.CultureInvariant)]
    private static partial Regex ReferenceInside();

    // OpenAI/Anthropic sk-, Hugging Face hf_, GitHub ghp_/gho_/ghs_/github_pat_, GitLab glpat-, Slack xox?-, Google
    // AIza, Stripe rk_/pk_live_.
    [GeneratedRegex(
        @"^(sk-|sk_live_|rk_live_|hf_|ghp_|gho_|ghu_|ghs_|github_pat_|glpat-|xox[abposr]-|AIza)[A-Za-z0-9_\-]{8,}",
        RegexOptions.CultureInvariant)]
    private static partial Regex KnownPrefix();

    [GeneratedRegex(@"^(AKIA|ASIA)[0-9A-Z]{16}$", RegexOptions.CultureInvariant)]
    private static partial Regex AwsAccessKey();

    [GeneratedRegex(@"^eyJ[A-Za-z0-9_\-]+\.eyJ[A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex Jwt();

    [GeneratedRegex(@"^[a-z][a-z0-9+.\-]*://[^/\s:@]*:[^/\s@]+@",
        RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex UrlWithPassword();

    [GeneratedRegex(@"^[0-9a-fA-F]{32,}$", RegexOptions.CultureInvariant)]
    private static partial Regex LongHex();

    // No '-', '.' or leading '/': model ids and paths (deepseek-ai/DeepSeek-R1-Distill-Qwen-32B) are not keys.
    [GeneratedRegex(@"^[A-Za-z0-9+][A-Za-z0-9+/]{39,}={0,2}$", RegexOptions.CultureInvariant)]
    private static partial Regex LongBase64();
}

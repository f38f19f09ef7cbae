using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Hearth.Core.Endpoints;
using Hearth.Core.Lint;

namespace Hearth.App.Lint;

/// <summary>Writes <c>hearth lint</c> findings as text (grouped by endpoint) or as JSON.</summary>
internal static class LintReport
{
    /// <summary>Text: one block per endpoint, one line per finding, then a summary such as
    /// <c>2 errors, 1 warning</c>.</summary>
    public static string Text(string file, IReadOnlyList<EndpointSpec> specs, IReadOnlyList<LintFinding> findings)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"hearth lint {file}\n");
        var byEndpoint = findings.ToLookup(f => Linter.EndpointIndexOf(f.Path));
        for (var i = 0; i < specs.Count; i++)
        {
            var mine = byEndpoint[i].ToList();
            text.Append(CultureInfo.InvariantCulture,
                $"\n{EndpointName(specs, i)} (endpoints[{i}]){(mine.Count == 0 ? ": ok" : string.Empty)}\n");
            foreach (var finding in mine)
            {
                text.Append(CultureInfo.InvariantCulture, $"  {finding}\n");
            }
        }

        var rest = findings.Where(f => Linter.EndpointIndexOf(f.Path) is not { } i || i >= specs.Count).ToList();
        if (rest.Count > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"\n{file}\n");
            foreach (var finding in rest)
            {
                text.Append(CultureInfo.InvariantCulture, $"  {finding}\n");
            }
        }

        text.Append(CultureInfo.InvariantCulture, $"\n{Summary(findings)}\n");
        return text.ToString();
    }

    /// <summary>JSON:
    /// <c>{ file, errors, warnings, info, findings: [{ ruleId, severity, endpoint, path, message, why, fix }]
    /// }</c>.</summary>
    public static string Json(string file, IReadOnlyList<EndpointSpec> specs, IReadOnlyList<LintFinding> findings)
    {
        using var buffer = new MemoryStream();
        // Relaxed escaping keeps '—' and quotes readable; the output is a terminal or a file, never HTML.
        var options = new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        using (var json = new Utf8JsonWriter(buffer, options))
        {
            json.WriteStartObject();
            json.WriteString("file", file);
            json.WriteNumber("errors", Count(findings, LintSeverity.Error));
            json.WriteNumber("warnings", Count(findings, LintSeverity.Warning));
            json.WriteNumber("info", Count(findings, LintSeverity.Info));
            json.WriteStartArray("findings");
            foreach (var f in findings)
            {
                json.WriteStartObject();
                json.WriteString("ruleId", f.RuleId);
                json.WriteString("severity", f.Severity.ToString().ToLowerInvariant());
                if (Linter.EndpointIndexOf(f.Path) is { } i && i < specs.Count)
                {
                    json.WriteString("endpoint", EndpointName(specs, i));
                }
                else
                {
                    json.WriteNull("endpoint");
                }

                json.WriteString("path", f.Path);
                json.WriteString("message", f.Message);
                json.WriteString("why", f.Why);
                json.WriteString("fix", f.Fix);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    /// <summary>The summary line, e.g. <c>2 errors, 1 warning</c> (with <c>, 3 info</c> when there are any).</summary>
    public static string Summary(IReadOnlyList<LintFinding> findings)
    {
        var errors = Count(findings, LintSeverity.Error);
        var warnings = Count(findings, LintSeverity.Warning);
        var info = Count(findings, LintSeverity.Info);
        var summary = $"{Plural(errors, "error")}, "
            + $"{Plural(warnings, "warning")}{(info > 0 ? $", {info} info" : string.Empty)}";
        return findings.Count == 0 ? summary + ": ready for production by the checklist" : summary;
    }

    private static int Count(IReadOnlyList<LintFinding> findings, LintSeverity severity) =>
        findings.Count(f => f.Severity == severity);

    private static string Plural(int n, string word) => n == 1 ? $"1 {word}" : $"{n} {word}s";

    private static string EndpointName(IReadOnlyList<EndpointSpec> specs, int i) =>
        string.IsNullOrEmpty(specs[i]?.Name) ? "(unnamed)" : specs[i].Name;
}

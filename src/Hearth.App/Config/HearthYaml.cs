using System.Text.RegularExpressions;
using Hearth.Core.Endpoints;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Hearth.App.Config;

/// <summary>
/// Loads endpoint definitions from <c>hearth.yaml</c> (DESIGN §9), for workers in any language. Reports every
/// problem at once: YAML syntax (with line and column), unknown keys (with a "did you mean"), wrong types, and
/// every <see cref="EndpointSpecValidator"/> rule, each with its path in the file's structure.
/// </summary>
public static partial class HearthYaml
{
    /// <summary>The file name <c>hearth</c> commands look for by default.</summary>
    public const string DefaultFileName = "hearth.yaml";

    private const string Example = "endpoints:\n  - name: agent\n    command: python worker.py\n    workers: [0, 3]";

    private static readonly IReadOnlyList<string> TopLevelKeys = ["endpoints", "tracing"];

    /// <summary>Reads <c>hearth.yaml</c> text.</summary>
    /// <param name="yamlText">The file's contents.</param>
    /// <param name="sourceName">Where the text came from (a file path), used for syntax errors.</param>
    /// <returns>The endpoints read and every problem found.</returns>
    public static HearthYamlResult Load(string yamlText, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(yamlText);
        ArgumentNullException.ThrowIfNull(sourceName);
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yamlText));
        }
        catch (YamlException ex)
        {
            return new([], [SyntaxProblem(ex, yamlText, sourceName)]);
        }

        var reader = new YamlReader();
        var specs = ReadEndpoints(stream, sourceName, reader, out var otlpEndpoint);

        // A setting that could not be read keeps its default, so skip rule failures at paths already reported.
        var ruleProblems = EndpointSpecValidator.Validate(specs).Where(p => !reader.AlreadyReported(p.Path));
        var problems = reader.Problems.Concat(ruleProblems).OrderBy(p => EndpointIndex(p.Path)).ToList();
        return new(specs, problems) { OtlpEndpoint = otlpEndpoint };
    }

    /// <summary>Reads a <c>hearth.yaml</c> file; a missing or unreadable file gives one problem saying how to fix
    /// it.</summary>
    /// <param name="path">Path to the file.</param>
    /// <returns>The endpoints read and every problem found.</returns>
    public static HearthYamlResult LoadFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
        {
            var full = Path.GetFullPath(path);
            return new([], [new(path, null, $"file not found (looked for {full})",
                $"create it with an 'endpoints:' list, for example:\n{Example}\nor "
                + "pass the path of an existing file.")]);
        }

        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return new([], [new(path, null, $"file cannot be read: {ex.Message}",
                "check that the file is readable by this user.")]);
        }

        return Load(text, path);
    }

    private static List<EndpointSpec> ReadEndpoints(
        YamlStream stream, string sourceName, YamlReader reader, out string? otlpEndpoint)
    {
        otlpEndpoint = null;
        const string fix = "declare at least one endpoint under 'endpoints:'.";
        var root = stream.Documents.Count == 0 ? null : stream.Documents[0].RootNode;
        if (root is null || YamlReader.IsNull(root))
        {
            reader.Report("endpoints", null, "the file declares no endpoints", fix);
            return [];
        }

        if (root is not YamlMappingNode map)
        {
            reader.Report(sourceName, root, "the file must be a mapping with an 'endpoints:' list",
                $"start the file like this:\n{Example}");
            return [];
        }

        YamlNode? list = null;
        foreach (var (key, value) in reader.Entries(map, string.Empty, TopLevelKeys))
        {
            if (key == "tracing")
            {
                otlpEndpoint = ReadTracing(value, reader);
            }
            else
            {
                list = value;
            }
        }

        if (list is null || YamlReader.IsNull(list))
        {
            reader.Report("endpoints", list, "the file declares no endpoints", fix);
            return [];
        }

        if (list is not YamlSequenceNode items)
        {
            reader.Report("endpoints", list, "endpoints must be a list", "start each endpoint with '- name: ...'.");
            return [];
        }

        if (items.Children.Count == 0)
        {
            reader.Report("endpoints", list, "the endpoints list is empty", fix);
        }

        return [.. items.Children.Select((item, i) => EndpointReader.Read(item, $"endpoints[{i}]", reader))];
    }

    private static SpecProblem SyntaxProblem(YamlException ex, string text, string sourceName)
    {
        var line = (int)ex.Start.Line;
        var lines = text.Split('\n');
        var lineText = line >= 1 && line <= lines.Length ? lines[line - 1].TrimEnd('\r') : null;
        var message = MarkPrefix().Replace(ex.Message, string.Empty);
        if (ex.InnerException is YamlException inner && !string.IsNullOrEmpty(inner.Message))
        {
            message += " " + MarkPrefix().Replace(inner.Message, string.Empty);
        }

        var until = ex.End.Line > ex.Start.Line
            ? $" (through line {ex.End.Line}, column {ex.End.Column})" : string.Empty;
        return new($"{sourceName}:{line}:{ex.Start.Column}", lineText,
            $"YAML syntax error at line {line}, column {ex.Start.Column}{until}: {message.TrimEnd('.')}",
            "fix the YAML at that spot (check indentation, quotes and colons; indent with spaces, not tabs).");
    }

    private static int EndpointIndex(string path)
    {
        var match = IndexPattern().Match(path);
        return match.Success
            ? int.Parse(match.Groups[1].ValueSpan, System.Globalization.CultureInfo.InvariantCulture) : -1;
    }

    // YamlDotNet prefixes messages with "(Line: 3, Col: 5, Idx: 20) - (Line: 3, Col: 6, Idx: 21): "; the problem says
    // where itself.
    [GeneratedRegex(@"^\(Line: [^)]*\) - \(Line: [^)]*\): ", RegexOptions.CultureInvariant)]
    private static partial Regex MarkPrefix();

    [GeneratedRegex(@"^endpoints\[(\d+)\]", RegexOptions.CultureInvariant)]
    private static partial Regex IndexPattern();
}

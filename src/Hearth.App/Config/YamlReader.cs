using System.Globalization;
using Hearth.Core.Endpoints;
using YamlDotNet.RepresentationModel;

namespace Hearth.App.Config;

/// <summary>
/// Typed reads from YamlDotNet's representation model that record a <see cref="SpecProblem"/> (with the line)
/// instead of throwing, so one pass over the file finds every mistake.
/// </summary>
internal sealed class YamlReader
{
    private readonly HashSet<string> _reportedPaths = new(StringComparer.Ordinal);

    public List<SpecProblem> Problems { get; } = [];

    /// <summary>True when a problem was already reported at <paramref name="path"/> or at a path containing
    /// it.</summary>
    public bool AlreadyReported(string path)
    {
        foreach (var reported in _reportedPaths)
        {
            if (path == reported
                || (path.StartsWith(reported, StringComparison.Ordinal) && path[reported.Length] is '.' or '['))
            {
                return true;
            }
        }

        return false;
    }

    public void Report(string path, YamlNode? node, string message, string fix)
    {
        var where = node is null ? string.Empty : $" (line {node.Start.Line})";
        Problems.Add(new(path, node is null ? null : Describe(node), message + where, fix));
        _reportedPaths.Add(path);
    }

    public static bool IsNull(YamlNode node) =>
        node is YamlScalarNode { Style: YamlDotNet.Core.ScalarStyle.Plain,
            Value: null or "" or "~" or "null" or "Null" or "NULL" };

    /// <summary>The known keys of a mapping with their values; reports unknown and non-text keys.</summary>
    public IEnumerable<(string Key, YamlNode Value)> Entries(
        YamlMappingNode map, string path, IReadOnlyList<string> known)
    {
        foreach (var (keyNode, value) in map.Children)
        {
            if (keyNode is not YamlScalarNode { Value: { } key })
            {
                Report(path, keyNode, "keys must be plain names", $"use one of: {string.Join(", ", known)}.");
                continue;
            }

            if (!known.Contains(key, StringComparer.Ordinal))
            {
                var closest = ClosestName.Find(key, known);
                var hint = closest is not null ? $"did you mean '{closest}'? " : string.Empty;
                Report(Join(path, key), keyNode, "unknown key", $"{hint}Known keys: {string.Join(", ", known)}.");
                continue;
            }

            yield return (key, value);
        }
    }

    public string? Text(YamlNode node, string path, string example)
    {
        if (node is YamlScalarNode scalar && !IsNull(node))
        {
            return scalar.Value ?? string.Empty;
        }

        Report(path, node, "expected text", $"write a single value, e.g. {example}.");
        return null;
    }

    public long? Long(YamlNode node, string path, string what, string example)
    {
        if (node is YamlScalarNode { Value: { } text } &&
            long.TryParse(text.Replace("_", string.Empty, StringComparison.Ordinal), NumberStyles.AllowLeadingSign,
                CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        Report(path, node, $"expected {what}", $"write a whole number, e.g. {example}.");
        return null;
    }

    public int? Int(YamlNode node, string path, string what, string example)
    {
        var value = Long(node, path, what, example);
        if (value is null or (>= int.MinValue and <= int.MaxValue))
        {
            return (int?)value;
        }

        Report(path, node, $"{what} is too large", $"write a smaller number, e.g. {example}.");
        return null;
    }

    public double? Double(YamlNode node, string path, string example)
    {
        if (node is YamlScalarNode { Value: { } text } &&
            double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        Report(path, node, "expected a number", $"write a number, e.g. {example}.");
        return null;
    }

    public bool? Bool(YamlNode node, string path)
    {
        switch ((node as YamlScalarNode)?.Value?.ToLowerInvariant())
        {
            case "true" or "yes" or "on":
                return true;
            case "false" or "no" or "off":
                return false;
            default:
                Report(path, node, "expected true or false", "write true or false.");
                return null;
        }
    }

    public YamlMappingNode? Mapping(YamlNode node, string path, string example)
    {
        if (node is YamlMappingNode map)
        {
            return map;
        }

        Report(path, node, "expected a mapping of settings", $"write it as key: value lines, e.g. {example}.");
        return null;
    }

    public static string Join(string path, string key) => path.Length == 0 ? key : $"{path}.{key}";

    private static string Describe(YamlNode node) => node switch
    {
        YamlScalarNode s => s.Value ?? string.Empty,
        YamlSequenceNode seq when seq.Children.All(c => c is YamlScalarNode) =>
            $"[{string.Join(", ", seq.Children.Select(c => ((YamlScalarNode)c).Value))}]",
        YamlSequenceNode => "(a list)",
        _ => "(a mapping)",
    };
}

using System.Text.Json;

namespace Hearth.App.Keys;

/// <summary>Stored keys as a table, one line each: id, kind, scope, label, created, expires, last used.</summary>
internal static class KeyTable
{
    public static void Write(JsonElement keys, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var rows = new List<string[]> { new[] { "ID", "KIND", "SCOPE", "LABEL", "CREATED", "EXPIRES", "LAST USED" } };
        foreach (var k in keys.EnumerateArray())
        {
            rows.Add([
                Text(k, "id"), Text(k, "kind"), Scope(k), Text(k, "label"), Day(k, "created"), Day(k, "expires"),
                Day(k, "lastUsed"),
            ]);
        }

        if (rows.Count == 1)
        {
            output.WriteLine("No stored keys. Create one with 'hearth keys create'.");
            return;
        }

        var widths = Enumerable.Range(0, rows[0].Length).Select(i => rows.Max(r => r[i].Length)).ToArray();
        foreach (var row in rows)
        {
            output.WriteLine(string.Join("  ", row.Select((cell, i) => cell.PadRight(widths[i]))).TrimEnd());
        }
    }

    private static string Scope(JsonElement k)
    {
        if (k.TryGetProperty("node", out var node) && node.ValueKind == JsonValueKind.String)
        {
            return $"node {node.GetString()}";
        }

        var endpoints = string.Join(",", k.GetProperty("endpoints").EnumerateArray().Select(e => e.GetString()));
        var ops = string.Join(",", k.GetProperty("operations").EnumerateArray().Select(e => e.GetString()));
        return ops.Length == 0 || ops == "run,read,cancel,purge" ? endpoints : $"{endpoints} ({ops})";
    }

    private static string Text(JsonElement k, string name) =>
        k.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : "-";

    /// <summary>An ISO time to the minute (<c>2026-12-07 15:04</c>), or '-'.</summary>
    private static string Day(JsonElement k, string name) =>
        Text(k, name) is { Length: >= 16 } iso ? iso[..16].Replace('T', ' ') : "-";
}

using System.Globalization;
using System.Text;
using System.Text.Json;
using Hearth.Soak.History;

namespace Hearth.Soak.Reporting;

/// <summary>
/// Jobs that ended other than their kind should (a normal job FAILED, a hang not TIMED_OUT), grouped by why. Not an
/// invariant — every one still ended exactly once — but each is something a client would ask about: a network blip
/// that failed a job instead of being retried, a worker lost too often.
/// </summary>
internal static class Outcomes
{
    private static readonly Dictionary<string, string[]> Expected = new(StringComparer.Ordinal)
    {
        ["normal"] = ["COMPLETED"], ["slow"] = ["COMPLETED"], ["zombie"] = ["COMPLETED"], ["session"] = ["COMPLETED"],
        ["stream"] = ["COMPLETED"], ["error"] = ["FAILED"], ["hang"] = ["TIMED_OUT"], ["cancel"] = ["CANCELLED", "COMPLETED"],
    };

    public static void Write(StringBuilder r, IReadOnlyList<HistoryEvent> events)
    {
        var kinds = events.Where(e => e.Type == EventTypes.Submit && e.Job is not null && e.Http is >= 200 and < 300)
            .GroupBy(e => e.Job!).ToDictionary(g => g.Key, g => g.First().Kind ?? "?", StringComparer.Ordinal);
        var unexpected = events.Where(e => e.Type == EventTypes.Status && e.Http == 200 && e.Job is not null
                && e.Status is "COMPLETED" or "FAILED" or "CANCELLED" or "TIMED_OUT")
            .GroupBy(e => e.Job!).Select(g => g.First())
            .Where(e => kinds.TryGetValue(e.Job!, out var kind) && Expected.TryGetValue(kind, out var ok)
                && (!ok.Contains(e.Status) || (kind == "error" && e.Error?.Contains("soak error", StringComparison.Ordinal) != true)))
            .GroupBy(e => $"{kinds[e.Job!]} → {e.Status}: {Why(e.Error)}")
            .OrderByDescending(g => g.Count()).ToList();
        r.AppendLine("## Unexpected outcomes").AppendLine();
        if (unexpected.Count == 0)
        {
            r.AppendLine("None: every job ended as its kind should.").AppendLine();
            return;
        }

        r.AppendLine("Not invariant violations (each job still ended exactly once), but not what its kind should end as:")
            .AppendLine().AppendLine("| kind → status: why | jobs | examples |").AppendLine("|---|---:|---|");
        foreach (var g in unexpected)
        {
            r.AppendLine(CultureInfo.InvariantCulture, $"| {g.Key.Replace('|', '/')} | {g.Count()} | {string.Join(", ", g.Take(3).Select(e => $"`{e.Job}`"))} |");
        }

        r.AppendLine();
    }

    /// <summary>The error's message (a worker's error JSON's <c>error_message</c>), shortened.</summary>
    private static string Why(string? error)
    {
        if (string.IsNullOrEmpty(error))
        {
            return "(no error)";
        }

        var text = error;
        try
        {
            using var doc = JsonDocument.Parse(error);
            if (doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("error_message", out var m))
            {
                text = (doc.RootElement.TryGetProperty("error_type", out var t) ? t.GetString() + ": " : string.Empty) + m.GetString();
            }
        }
        catch (JsonException)
        {
            // Plain text.
        }

        text = text.Replace('\n', ' ');
        return text.Length <= 140 ? text : text[..140] + "…";
    }
}

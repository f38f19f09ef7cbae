using System.Globalization;
using System.Text.Json;
using Hearth.App.Hosting;
using Spectre.Console;

namespace Hearth.App.Jobs;

/// <summary>Draws a trace (the <c>/api/jobs/{id}/trace</c> answer) as a waterfall: one row per span, children under
/// parents.</summary>
internal static class TraceWaterfall
{
    /// <summary>Characters of the timeline column: 40.</summary>
    private const int BarWidth = 40;


    private sealed record Row(string SpanId, string? Parent, string Name, string Source, DateTimeOffset Start,
        double DurationMs, bool Open, string Status, bool Hung);

    public static void Write(JsonElement trace, TextWriter output)
    {
        var rows = trace.GetProperty("spans").EnumerateArray().Select(s => new Row(
            s.GetProperty("spanId").GetString()!,
            s.GetProperty("parentSpanId").ValueKind == JsonValueKind.String
                ? s.GetProperty("parentSpanId").GetString() : null,
            s.GetProperty("name").GetString()!,
            s.GetProperty("source").GetString()!,
            DateTimeOffset.Parse(s.GetProperty("start").GetString()!, CultureInfo.InvariantCulture),
            s.GetProperty("durationMs").GetDouble(),
            s.GetProperty("open").GetBoolean(),
            s.GetProperty("status").GetString()!,
            s.GetProperty("attributes").TryGetProperty("hearth.hung", out var h) && h.ValueKind == JsonValueKind.True))
                .ToList();

        var console = TerminalConsole.Create(output);
        console.MarkupLine($"[bold]trace[/] {trace.GetProperty("traceId").GetString()}  job "
            + $"{Markup.Escape(trace.GetProperty("jobId").GetString()!)} on "
            + $"{Markup.Escape(trace.GetProperty("endpoint").GetString()!)}  ({rows.Count} spans)");
        if (rows.Count == 0)
        {
            console.WriteLine("no spans recorded yet");
            return;
        }

        var origin = rows.Min(r => r.Start);
        var total = Math.Max(1, rows.Max(r => (r.Start - origin).TotalMilliseconds + r.DurationMs));
        var table = new Table().Border(TableBorder.Simple)
            .AddColumn("span").AddColumn("source").AddColumn(new TableColumn("start").RightAligned())
            .AddColumn(new TableColumn("duration").RightAligned()).AddColumn("timeline");
        foreach (var (row, depth) in Ordered(rows))
        {
            var offset = (row.Start - origin).TotalMilliseconds;
            var from = (int)Math.Round(offset / total * BarWidth);
            var length = Math.Max(1, (int)Math.Round(row.DurationMs / total * BarWidth));
            var colour = row.Hung ? "red" : row.Status == "error" ? "red" : row.Open ? "yellow" : "green";
            var bar = new string(' ', Math.Min(from, BarWidth - 1)) + $"[{colour}]{new string(row.Open ? '░' : '█',
                Math.Min(length, BarWidth - Math.Min(from, BarWidth - 1)))}[/]";
            var flags = (row.Hung ? " [red bold]HUNG[/]" : string.Empty)
                + (row.Open && !row.Hung ? " [yellow]open[/]" : string.Empty)
                + (row.Status == "error" ? " [red]error[/]" : string.Empty);
            table.AddRow(
                new Markup(new string(' ', depth * 2) + Markup.Escape(row.Name) + flags),
                new Markup(Markup.Escape(row.Source)),
                new Text($"+{offset.ToString("0", CultureInfo.InvariantCulture)} ms"),
                new Text($"{row.DurationMs.ToString("0.0", CultureInfo.InvariantCulture)} ms"),
                new Markup(bar));
        }

        console.Write(table);
    }

    /// <summary>Depth-first from the roots (spans whose parent is not in the trace), children by start time.</summary>
    private static IEnumerable<(Row Row, int Depth)> Ordered(List<Row> rows)
    {
        var ids = rows.Select(r => r.SpanId).ToHashSet(StringComparer.Ordinal);
        var children = rows.Where(r => r.Parent is not null && ids.Contains(r.Parent))
            .ToLookup(r => r.Parent!, StringComparer.Ordinal);
        var stack = new Stack<(Row, int)>(rows.Where(r => r.Parent is null || !ids.Contains(r.Parent))
            .OrderByDescending(r => r.Start).Select(r => (r, 0)));
        while (stack.Count > 0)
        {
            var (row, depth) = stack.Pop();
            yield return (row, depth);
            foreach (var child in children[row.SpanId].OrderByDescending(r => r.Start))
            {
                stack.Push((child, depth + 1));
            }
        }
    }
}

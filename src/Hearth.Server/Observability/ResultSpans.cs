using System.Text.Json;
using Hearth.Core.Tracing;

namespace Hearth.Server.Observability;

/// <summary>
/// The spans a worker sends with a job's result (<c>"spans"</c> on job-done and in job-done-batch items, a Hearth
/// extension): those of the job that ended before the worker's next span report. The store keeps them with the job as
/// sent, so a job costs no span write of its own and its result no rewrite; they are checked when its trace is read.
/// They are diagnostics: a span that is malformed or names another job is left out there, and never refuses the
/// result.
/// </summary>
internal static class ResultSpans
{
    /// <summary>Most spans kept with one result: 16 (a worker sends more through job-spans); a result with more keeps
    /// none.</summary>
    public const int Max = 16;

    /// <summary>Most bytes of spans kept with one result: 64 KiB; a result with more keeps none.</summary>
    public const int MaxChars = 64 * 1024;

    /// <summary>The result's <c>spans</c> array as sent, when it has 1 to <see cref="Max"/> entries within
    /// <see cref="MaxChars"/>; else null.</summary>
    public static string? Take(JsonElement result)
    {
        if (!result.TryGetProperty("spans", out var list) || list.ValueKind != JsonValueKind.Array
            || list.GetArrayLength() is 0 or > Max)
        {
            return null;
        }

        var raw = list.GetRawText();
        return raw.Length <= MaxChars ? raw : null;
    }

    /// <summary>The valid spans of job <paramref name="jobId"/> among those kept with its result, each with its
    /// source set to the worker that sent them.</summary>
    public static IEnumerable<SpanRecord> Parse(string? json, string jobId, string? workerId)
    {
        if (json is null || Document(json) is not { } document)
        {
            return [];
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Array)
            {
                return [];
            }

            var source = "worker:" + (workerId ?? "unknown");
            var spans = new Dictionary<string, SpanRecord>(StringComparer.Ordinal);
            foreach (var element in document.RootElement.EnumerateArray().Take(Max))
            {
                if (SpanJson.Read(element, source, out _) is { } span
                    && TraceView.Attr(span, HearthTelemetry.Attributes.JobId) == jobId)
                {
                    spans[span.SpanId] = span;
                }
            }

            return spans.Values;
        }
    }

    private static JsonDocument? Document(string json)
    {
        try
        {
            return JsonDocument.Parse(json);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

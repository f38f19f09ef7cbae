using System.Buffers;
using System.Text.Json;
using Hearth.Core.Tracing;

namespace Hearth.Server.Observability;

/// <summary>
/// The spans a worker sends with a job's result (<c>"spans"</c> on job-done and in job-done-batch items, a Hearth
/// extension): those of the job that ended before the worker's next span report. The store keeps them with the job, so
/// a job costs no span write of its own. They are diagnostics: a span that is malformed or names another job is left
/// out, and never refuses the result.
/// </summary>
internal static class ResultSpans
{
    /// <summary>Most spans kept with one result: 16 (a worker sends more through job-spans).</summary>
    public const int Max = 16;

    /// <summary>The result's valid spans of <paramref name="jobId"/> as a JSON array, each with its source set to the
    /// worker; null when there are none.</summary>
    public static string? Read(JsonElement result, string jobId, string workerId)
    {
        if (!result.TryGetProperty("spans", out var list) || list.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        var source = "worker:" + workerId;
        var spans = new Dictionary<string, SpanRecord>(StringComparer.Ordinal);
        foreach (var element in list.EnumerateArray().Take(Max))
        {
            if (SpanJson.Read(element, source, out _) is { } span
                && TraceView.Attr(span, HearthTelemetry.Attributes.JobId) == jobId)
            {
                spans[span.SpanId] = span;
            }
        }

        if (spans.Count == 0)
        {
            return null;
        }

        var buffer = new ArrayBufferWriter<byte>(512 * spans.Count);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartArray();
            foreach (var span in spans.Values)
            {
                SpanJson.Write(w, span);
            }

            w.WriteEndArray();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>The spans of a stored result, as <see cref="Read"/> wrote them.</summary>
    public static IEnumerable<SpanRecord> Parse(string? json)
    {
        if (json is null)
        {
            yield break;
        }

        using var document = JsonDocument.Parse(json);
        foreach (var element in document.RootElement.EnumerateArray())
        {
            if (TraceView.Parse(element) is { } span)
            {
                yield return span;
            }
        }
    }
}

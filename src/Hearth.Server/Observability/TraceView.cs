using System.Text.Json;
using Hearth.Core.Tracing;
using Hearth.Server.Jobs;
using Hearth.Store;
using Hearth.Store.Jobs;

namespace Hearth.Server.Observability;

/// <summary>
/// Assembles <c>GET /api/jobs/{id}/trace</c>: every span stored for the job's trace (its own and those of the jobs it
/// called), with the control plane's spans of each job refreshed from the job itself, hung marks applied, and open
/// spans
/// measured to now (or to the deadline at which they hung).
/// </summary>
internal static class TraceView
{
    /// <summary>Most jobs of one trace whose job span is refreshed from the store per request: 64.</summary>
    private const int MaxRefreshedJobs = 64;

    public static SpanRecord? Parse(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return Parse(doc.RootElement);
    }

    /// <summary>A stored span, with the source it was stored with.</summary>
    public static SpanRecord? Parse(JsonElement stored)
    {
        var source = stored.TryGetProperty("source", out var s) && s.ValueKind == JsonValueKind.String
            ? s.GetString()! : "unknown";
        return SpanJson.Read(stored, source, out _);
    }

    /// <summary>Finds a job by id on any endpoint served here.</summary>
    public static async Task<(string Endpoint, JobSnapshot Job)?> FindAsync(
        JobService jobs, IJobStore store, string jobId, CancellationToken cancellationToken)
    {
        foreach (var endpoint in jobs.EndpointNames.Order(StringComparer.Ordinal))
        {
            if (await store.GetAsync(endpoint, jobId, cancellationToken).ConfigureAwait(false) is { } job)
            {
                return (endpoint, job);
            }
        }

        return null;
    }

    public static async Task<List<(SpanRecord Span, long? HungAtMs)>> SpansAsync(
        JobService jobs, IJobStore store, JobTracing tracing, string endpoint, JobSnapshot job,
        JobTraceContext context, CancellationToken cancellationToken)
    {
        var read = await tracing.Traces.ReadTraceAsync(context.TraceId, cancellationToken).ConfigureAwait(false);
        var spans = new Dictionary<string, SpanRecord>(StringComparer.Ordinal);
        foreach (var json in read.Spans)
        {
            if (Parse(json) is { } span)
            {
                spans[span.SpanId] = span;
            }
        }

        // The control plane's spans of this trace's jobs are rebuilt from the jobs themselves: the requested job's
        // always (a job that starts its own trace has them written nowhere else), then every other job a span names
        // (a worker's execute span, an open job span) whose job span is not stored closed.
        var refresh = new List<(string Endpoint, string JobId, JobSnapshot? Known)> { (endpoint, job.Id, job) };
        var closedJobs = spans.Values
            .Where(s => !s.Open && s.Name == HearthTelemetry.Spans.Job && s.Source == ControlPlaneSpans.Source)
            .Select(s => Attr(s, HearthTelemetry.Attributes.JobId)).ToHashSet(StringComparer.Ordinal);
        foreach (var (ep, id) in spans.Values
            .Select(s => (Attr(s, HearthTelemetry.Attributes.Endpoint), Attr(s, HearthTelemetry.Attributes.JobId)))
            .Where(named => named.Item1 is not null && named.Item2 is not null && named.Item2 != job.Id
                && !closedJobs.Contains(named.Item2))
            .Distinct().Take(MaxRefreshedJobs))
        {
            refresh.Add((ep!, id!, null));
        }

        foreach (var (ep, id, known) in refresh)
        {
            if (jobs.Endpoint(ep) is null)
            {
                continue;
            }

            var snapshot = known ?? await store.GetAsync(ep, id, cancellationToken).ConfigureAwait(false);
            if (snapshot is not null && JobTraceContext.Parse(snapshot.TraceContext) is { } c
                && c.TraceId == context.TraceId)
            {
                foreach (var span in ControlPlaneSpans.FromSnapshot(ep, snapshot, c, spans.GetValueOrDefault(c.SpanId)))
                {
                    spans[span.SpanId] = span;
                }

                // The worker's spans sent with the result; a closed one wins over an open one it reported before.
                foreach (var span in ResultSpans.Parse(snapshot.SpansJson, id, snapshot.WorkerId)
                    .Where(s => s.TraceId == c.TraceId))
                {
                    if (spans.GetValueOrDefault(span.SpanId) is not { Open: false })
                    {
                        spans[span.SpanId] = span;
                    }
                }
            }
        }

        return [.. spans.Values.OrderBy(s => s.StartMs)
            .Select(s => (s, read.Hung.TryGetValue(s.SpanId, out var at) ? at : (long?)null))];
    }

    public static void Write(Utf8JsonWriter w, string endpoint, string jobId, string traceId,
        IEnumerable<(SpanRecord Span, long? HungAtMs)> spans, long nowMs)
    {
        w.WriteStartObject();
        w.WriteString("jobId", jobId);
        w.WriteString("endpoint", endpoint);
        w.WriteString("traceId", traceId);
        w.WriteStartArray("spans");
        foreach (var (span, hungAt) in spans)
        {
            w.WriteStartObject();
            w.WriteString("traceId", span.TraceId);
            w.WriteString("spanId", span.SpanId);
            if (span.ParentSpanId is null)
            {
                w.WriteNull("parentSpanId");
            }
            else
            {
                w.WriteString("parentSpanId", span.ParentSpanId);
            }

            w.WriteString("name", span.Name);
            w.WriteString("source", span.Source);
            w.WriteString("start", Iso(span.StartMs));
            if (span.EndMs is { } end)
            {
                w.WriteString("end", Iso(end));
            }
            else
            {
                w.WriteNull("end");
            }

            var until = span.EndMs ?? hungAt ?? nowMs;
            w.WriteNumber("durationMs", Math.Round(Math.Max(0, until - span.StartMs), 1));
            w.WriteBoolean("open", span.Open);
            w.WriteString("status", span.Status);
            w.WriteStartObject("attributes");
            foreach (var (key, value) in span.Attributes)
            {
                w.WritePropertyName(key);
                value.WriteTo(w);
            }

            if (hungAt is not null)
            {
                w.WriteBoolean(HearthTelemetry.Attributes.Hung, true);
            }

            w.WriteEndObject();
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    public static string? Attr(SpanRecord span, string name) =>
        span.Attributes.TryGetValue(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static string Iso(double ms) => Admin.AdminAnswers.Iso((long)Math.Floor(ms));
}

using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Hearth.Core.Jobs;
using Hearth.Core.Tracing;
using Hearth.Store.Jobs;

namespace Hearth.Server.Observability;

/// <summary>The control plane's spans of a job (<c>job</c>, <c>queue.wait</c>), built from what the store keeps about
/// it.</summary>
internal static class ControlPlaneSpans
{
    public const string Source = "control-plane";

    /// <summary>The job span while queued or running (open), as written at submit.</summary>
    public static SpanRecord OpenJob(
        string endpoint, string jobId, string? sessionId, JobTraceContext context, double startMs)
    {
        var attributes = new Dictionary<string, JsonElement>(StringComparer.Ordinal)
        {
            [HearthTelemetry.Attributes.Endpoint] = Str(endpoint),
            [HearthTelemetry.Attributes.JobId] = Str(jobId),
        };
        if (sessionId is not null)
        {
            attributes[HearthTelemetry.Attributes.SessionId] = Str(sessionId);
        }

        return new SpanRecord(context.TraceId, context.SpanId, context.ParentSpanId, HearthTelemetry.Spans.Job, Source,
            startMs, null, "unset", attributes);
    }

    /// <summary>
    /// The job span and, once a worker took it, its queue.wait span, from a snapshot; the job span is open until the
    /// job is final. <paramref name="stored"/> (the span written at submit) contributes attributes the snapshot lacks
    /// (session).
    /// </summary>
    public static IEnumerable<SpanRecord> FromSnapshot(
        string endpoint, JobSnapshot job, JobTraceContext context, SpanRecord? stored)
    {
        var final = JobStatus.IsFinal(job.Status);
        var attributes = new Dictionary<string, JsonElement>(
            stored?.Attributes ?? new Dictionary<string, JsonElement>(), StringComparer.Ordinal)
        {
            [HearthTelemetry.Attributes.Endpoint] = Str(endpoint),
            [HearthTelemetry.Attributes.JobId] = Str(job.Id),
            [HearthTelemetry.Attributes.Attempt] = Num(job.Attempt),
        };
        if (job.SessionId is not null)
        {
            attributes[HearthTelemetry.Attributes.SessionId] = Str(job.SessionId);
        }

        if (job.WorkerId is not null)
        {
            attributes[HearthTelemetry.Attributes.WorkerId] = Str(job.WorkerId);
        }

        if (final)
        {
            attributes[HearthTelemetry.Attributes.Status] = Str(job.Status);
        }

        double? end = final ? EndMs(job) : null;
        var status = !final ? "unset" : job.Status == JobStatus.Completed ? "ok" : "error";
        yield return new SpanRecord(context.TraceId, context.SpanId, context.ParentSpanId, HearthTelemetry.Spans.Job,
            Source, job.SubmittedMs, end, status, attributes);

        if (job.DelayTimeMs is { } delay && job.Attempt > 0)
        {
            var wait = new Dictionary<string, JsonElement>(StringComparer.Ordinal)
            {
                [HearthTelemetry.Attributes.Endpoint] = Str(endpoint),
                [HearthTelemetry.Attributes.JobId] = Str(job.Id),
                [HearthTelemetry.Attributes.Attempt] = Num(job.Attempt),
            };
            yield return new SpanRecord(context.TraceId, QueueWaitSpanId(context.SpanId, job.Attempt), context.SpanId,
                HearthTelemetry.Spans.QueueWait, Source,
                job.SubmittedMs, job.SubmittedMs + delay, "ok", wait);
        }
    }

    /// <summary>Submit + queue + run: when the final state was reached (now, for a job cancelled before it
    /// ran).</summary>
    public static double EndMs(JobSnapshot job) =>
        job.SubmittedMs + (job.DelayTimeMs ?? 0) + (job.ExecutionTimeMs ?? 0);

    /// <summary>
    /// queue.wait is recorded whenever the job is looked at or finalized, possibly by several replicas: its id is
    /// derived from the job span and the attempt so every write lands on the same span.
    /// </summary>
    public static string QueueWaitSpanId(string jobSpanId, int attempt)
    {
        var hash = SHA256.HashData(Encoding.ASCII.GetBytes($"{jobSpanId}/queue.wait/{attempt}"));
        return Convert.ToHexStringLower(hash.AsSpan(0, 8));
    }

    public static JsonElement Str(string value) => JsonSerializer.SerializeToElement(value, HearthJson.Default.String);

    public static JsonElement Num(long value) => JsonSerializer.SerializeToElement(value, HearthJson.Default.Int64);

    public static JsonElement Bool(bool value) => JsonSerializer.SerializeToElement(value, HearthJson.Default.Boolean);
}

/// <summary>Source-generated serialization of the primitive attribute values.</summary>
[System.Text.Json.Serialization.JsonSerializable(typeof(string))]
[System.Text.Json.Serialization.JsonSerializable(typeof(long))]
[System.Text.Json.Serialization.JsonSerializable(typeof(bool))]
internal sealed partial class HearthJson : System.Text.Json.Serialization.JsonSerializerContext;

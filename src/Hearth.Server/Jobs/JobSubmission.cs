using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Hearth.Server.Jobs;

/// <summary>
/// A job to submit, as the client asked for it: what <see cref="JobService"/> needs to create the job, whatever API
/// it came from (the route reads <c>/run</c> and <c>/runsync</c> bodies into one).
/// </summary>
/// <param name="InputJson">The handler's input (raw JSON).</param>
/// <param name="Webhook">Where the final status is posted, or null.</param>
/// <param name="S3ConfigJson">The passthrough <c>s3Config</c> object (raw JSON), or null.</param>
/// <param name="ExecutionTimeoutMs">The job's execution timeout.</param>
/// <param name="TtlMs">The job's TTL, from submission.</param>
/// <param name="LowPriority">Queued behind normal jobs.</param>
/// <param name="SessionId">The named session it belongs to, or null.</param>
/// <param name="ParentJobId">The job that called it (<c>ctx.CallAsync</c>), or null.</param>
internal sealed record JobSubmission(
    string InputJson, string? Webhook, string? S3ConfigJson, long ExecutionTimeoutMs, long TtlMs, bool LowPriority,
    string? SessionId = null, string? ParentJobId = null)
{
    /// <summary>The submitter's W3C <c>traceparent</c> (a calling job's call span), when sent.</summary>
    public string? TraceParent { get; init; }

    /// <summary>
    /// The JSON object handed to the worker: <c>id</c>, <c>input</c>, the passthrough fields, and (a Hearth extension
    /// that Runpod workers ignore) <c>traceparent</c>: the job span, parent of the worker's execute span.
    /// </summary>
    public string Payload(string id, string? traceParent = null)
    {
        var buffer = new ArrayBufferWriter<byte>(InputJson.Length + 64);
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { SkipValidation = true }))
        {
            w.WriteStartObject();
            w.WriteString("id", id);
            w.WritePropertyName("input");
            w.WriteRawValue(InputJson, skipInputValidation: true);
            if (S3ConfigJson is not null)
            {
                w.WritePropertyName("s3Config");
                w.WriteRawValue(S3ConfigJson, skipInputValidation: true);
            }

            WriteIfSet(w, "webhook", Webhook);
            WriteIfSet(w, "session_id", SessionId);
            WriteIfSet(w, "parent_job_id", ParentJobId);
            WriteIfSet(w, "traceparent", traceParent);
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void WriteIfSet(Utf8JsonWriter w, string name, string? value)
    {
        if (value is not null)
        {
            w.WriteString(name, value);
        }
    }
}

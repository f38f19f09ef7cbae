using System.Diagnostics;
using Hearth.Core.Tracing;

namespace Hearth.Server.Observability;

/// <summary>The W3C identity of a job's <c>job</c> span, as stored with the job
/// (<c>traceId spanId parentSpanId</c>).</summary>
/// <param name="TraceId">32 hex digits.</param>
/// <param name="SpanId">The job span's 16 hex digits.</param>
/// <param name="ParentSpanId">The caller's span (a <c>call</c> span or the client's), or null for a root.</param>
public sealed record JobTraceContext(string TraceId, string SpanId, string? ParentSpanId)
{
    /// <summary>The stored form.</summary>
    public override string ToString() => $"{TraceId} {SpanId} {ParentSpanId}";

    /// <summary>What the worker gets in the job's <c>traceparent</c> field: its <c>execute</c> span's parent.</summary>
    public string TraceParent => HearthTelemetry.TraceParent(TraceId, SpanId);

    /// <summary>Parses the stored form; null when absent or malformed.</summary>
    public static JobTraceContext? Parse(string? stored)
    {
        var parts = stored?.Split(' ');
        if (parts is not { Length: 3 } || !SpanJson.IsHex(parts[0], 32) || !SpanJson.IsHex(parts[1], 16))
        {
            return null;
        }

        return new JobTraceContext(parts[0], parts[1], parts[2].Length == 0 ? null : parts[2]);
    }

    /// <summary>A W3C <c>traceparent</c> header value as an <see cref="ActivityContext"/>; null when absent or
    /// invalid.</summary>
    public static ActivityContext? ParseTraceParent(string? traceParent) =>
        !string.IsNullOrEmpty(traceParent) && ActivityContext.TryParse(traceParent, null, out var context)
            ? context : null;
}

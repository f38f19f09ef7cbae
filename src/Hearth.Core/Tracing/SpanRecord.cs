using System.Text.Json;

namespace Hearth.Core.Tracing;

/// <summary>
/// One span as Hearth keeps it in its built-in span store and as workers report it (<c>job-spans</c>): W3C ids, name,
/// who recorded it, start and (unless still open) end in Unix milliseconds, status and attributes.
/// </summary>
/// <param name="TraceId">32 lowercase hex digits.</param>
/// <param name="SpanId">16 lowercase hex digits.</param>
/// <param name="ParentSpanId">The parent's span id, or null for a root.</param>
/// <param name="Name">Span name, e.g. <c>step decompose</c>.</param>
/// <param name="Source"><c>control-plane</c> or <c>worker:{id}</c>; set by the control plane, never taken from a
/// worker.</param>
/// <param name="StartMs">Start, Unix ms (fractional).</param>
/// <param name="EndMs">End, Unix ms, or null while open.</param>
/// <param name="Status"><c>ok</c>, <c>error</c> or <c>unset</c>.</param>
/// <param name="Attributes">Attributes: strings, numbers or booleans.</param>
public sealed record SpanRecord(
    string TraceId, string SpanId, string? ParentSpanId, string Name, string Source, double StartMs, double? EndMs,
    string Status,
    IReadOnlyDictionary<string, JsonElement> Attributes)
{
    /// <summary>True while the span has not ended.</summary>
    public bool Open => EndMs is null;
}

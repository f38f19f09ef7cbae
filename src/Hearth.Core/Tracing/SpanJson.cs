using System.Buffers;
using System.Text.Json;

namespace Hearth.Core.Tracing;

/// <summary>Reads and writes <see cref="SpanRecord"/> JSON (store and worker reports), checking every field of
/// untrusted input.</summary>
public static class SpanJson
{
    /// <summary>Most attributes a reported span may carry: 32.</summary>
    public const int MaxAttributes = 32;

    /// <summary>Longest span name or attribute value accepted: 256 characters.</summary>
    public const int MaxText = 256;

    /// <summary>Writes one span object.</summary>
    public static void Write(Utf8JsonWriter writer, SpanRecord span)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(span);
        writer.WriteStartObject();
        writer.WriteString("traceId", span.TraceId);
        writer.WriteString("spanId", span.SpanId);
        if (span.ParentSpanId is null)
        {
            writer.WriteNull("parentSpanId");
        }
        else
        {
            writer.WriteString("parentSpanId", span.ParentSpanId);
        }

        writer.WriteString("name", span.Name);
        writer.WriteString("source", span.Source);
        writer.WriteNumber("startMs", span.StartMs);
        if (span.EndMs is { } end)
        {
            writer.WriteNumber("endMs", end);
        }
        else
        {
            writer.WriteNull("endMs");
        }

        writer.WriteString("status", span.Status);
        writer.WriteStartObject("attributes");
        foreach (var (key, value) in span.Attributes)
        {
            writer.WritePropertyName(key);
            value.WriteTo(writer);
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    /// <summary>One span as a JSON string.</summary>
    public static string ToJson(SpanRecord span)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            Write(writer, span);
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>Reads one span; on bad input returns null and says what is wrong in <paramref name="error"/>.</summary>
    public static SpanRecord? Read(JsonElement e, string source, out string? error)
    {
        error = null;
        if (e.ValueKind != JsonValueKind.Object)
        {
            error = "a span must be a JSON object";
            return null;
        }

        var traceId = Text(e, "traceId");
        var spanId = Text(e, "spanId");
        var parent = Text(e, "parentSpanId");
        var name = Text(e, "name");
        if (!IsHex(traceId, 32) || !IsHex(spanId, 16) || (parent is not null && !IsHex(parent, 16)))
        {
            error = "traceId must be 32 and spanId/parentSpanId 16 lowercase hex digits (W3C trace context)";
            return null;
        }

        if (string.IsNullOrEmpty(name) || name.Length > MaxText)
        {
            error = $"name must be 1 to {MaxText} characters";
            return null;
        }

        if (!e.TryGetProperty("startMs", out var start) || !start.TryGetDouble(out var startMs) || startMs <= 0)
        {
            error = "startMs must be a positive number (Unix milliseconds)";
            return null;
        }

        double? endMs = null;
        if (e.TryGetProperty("endMs", out var end) && end.ValueKind != JsonValueKind.Null)
        {
            if (!end.TryGetDouble(out var endValue) || endValue < startMs)
            {
                error = "endMs must be null (open) or a number not before startMs";
                return null;
            }

            endMs = endValue;
        }

        var status = Text(e, "status") ?? "unset";
        if (status is not ("ok" or "error" or "unset"))
        {
            error = "status must be ok, error or unset";
            return null;
        }

        var attributes = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        if (e.TryGetProperty("attributes", out var attrs) && attrs.ValueKind == JsonValueKind.Object)
        {
            foreach (var p in attrs.EnumerateObject())
            {
                var ok = p.Value.ValueKind is JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False
                    || (p.Value.ValueKind == JsonValueKind.String && p.Value.GetString()!.Length <= MaxText);
                if (!ok || p.Name.Length > MaxText || attributes.Count >= MaxAttributes)
                {
                    error = $"attributes must be at most {MaxAttributes} strings (≤ {MaxText} "
                        + "characters), numbers or booleans";
                    return null;
                }

                attributes[p.Name] = p.Value.Clone();
            }
        }

        return new SpanRecord(traceId!, spanId!, parent, name, source, startMs, endMs, status, attributes);
    }

    /// <summary>True when <paramref name="value"/> is <paramref name="length"/> lowercase hex digits, not all
    /// zero.</summary>
    public static bool IsHex(string? value, int length) =>
        value is not null && value.Length == length && value.All(c => c is (>= '0' and <= '9') or (>= 'a' and <= 'f'))
            && value.Any(c => c != '0');

    private static string? Text(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}

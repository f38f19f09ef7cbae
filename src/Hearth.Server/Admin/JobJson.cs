using System.Text.Json;
using Hearth.Core.Jobs;
using Hearth.Store.Jobs;

namespace Hearth.Server.Admin;

/// <summary>How the admin API writes jobs: summaries, details with input and output cut to a size a page can show,
/// stats.</summary>
internal static class JobJson
{
    /// <summary>Largest input or output shown whole (default 4096 characters); longer ones come as a cut string with
    /// <c>truncated</c>.</summary>
    public const int MaxShownChars = 4096;

    public static void WriteSummary(Utf8JsonWriter w, string endpoint, JobSummary job)
    {
        w.WriteString("id", job.Id);
        w.WriteString("endpoint", endpoint);
        w.WriteString("status", job.Status);
        WriteTime(w, "submittedAt", job.SubmittedMs);
        WriteTime(w, "startedAt", job.StartedMs);
        var completed = JobStatus.IsFinal(job.Status) && job.StartedMs is { } s && job.ExecutionTimeMs is { } e
            ? s + e : (long?)null;
        WriteTime(w, "completedAt", completed);
        WriteNumber(w, "delayTime", job.DelayTimeMs);
        WriteNumber(w, "executionTime", job.ExecutionTimeMs);
        w.WriteString("workerId", job.WorkerId);
        w.WriteString("sessionId", job.SessionId);
        w.WriteString("error", job.Error);
        w.WriteString("reason", job.Reason);
    }

    public static void WriteDetail(Utf8JsonWriter w, string endpoint, JobDetail detail)
    {
        w.WriteStartObject();
        WriteSummary(w, endpoint, detail.Summary);
        var truncated = WriteShown(w, "input", Input(detail.PayloadJson));
        truncated |= WriteShown(w, "output", detail.OutputJson);
        w.WriteBoolean("truncated", truncated);
        w.WriteEndObject();
    }

    public static void WriteStats(Utf8JsonWriter w, IReadOnlyList<JobSummary> recent)
    {
        w.WriteNumber("sample", recent.Count);
        WritePercentiles(w, "delayMs", recent.Select(j => j.DelayTimeMs));
        WritePercentiles(w, "executionMs", recent.Select(j => j.ExecutionTimeMs));
        w.WriteStartObject("byStatus");
        foreach (var group in recent.GroupBy(j => j.Status, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            w.WriteNumber(group.Key, group.Count());
        }

        w.WriteEndObject();
    }

    /// <summary>The job's input from the payload handed to workers, as raw JSON; null when it has none.</summary>
    private static string? Input(string? payloadJson)
    {
        if (payloadJson is null)
        {
            return null;
        }

        using var payload = JsonDocument.Parse(payloadJson);
        return payload.RootElement.ValueKind == JsonValueKind.Object
            && payload.RootElement.TryGetProperty("input", out var input) ? input.GetRawText() : null;
    }

    private static bool WriteShown(Utf8JsonWriter w, string name, string? json)
    {
        if (json is null)
        {
            w.WriteNull(name);
            return false;
        }

        if (json.Length <= MaxShownChars)
        {
            w.WritePropertyName(name);
            w.WriteRawValue(json, skipInputValidation: true);
            return false;
        }

        w.WriteString(name, string.Concat(json.AsSpan(0, MaxShownChars), "…"));
        return true;
    }

    private static void WritePercentiles(Utf8JsonWriter w, string name, IEnumerable<long?> values)
    {
        var sorted = values.OfType<long>().Order().ToArray();
        w.WriteStartObject(name);
        WriteNumber(w, "p50", Percentile(sorted, 0.50));
        WriteNumber(w, "p99", Percentile(sorted, 0.99));
        w.WriteEndObject();
    }

    /// <summary>Nearest-rank percentile; null for no values.</summary>
    private static long? Percentile(long[] sorted, double p) =>
        sorted.Length == 0 ? null : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];

    private static void WriteTime(Utf8JsonWriter w, string name, long? ms)
    {
        if (ms is { } value)
        {
            w.WriteString(name, AdminAnswers.Iso(value));
        }
        else
        {
            w.WriteNull(name);
        }
    }

    private static void WriteNumber(Utf8JsonWriter w, string name, long? value)
    {
        if (value is { } v)
        {
            w.WriteNumber(name, v);
        }
        else
        {
            w.WriteNull(name);
        }
    }
}

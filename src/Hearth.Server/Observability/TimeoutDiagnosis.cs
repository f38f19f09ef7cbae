using System.Globalization;
using Hearth.Core.Jobs;
using Hearth.Core.Tracing;
using Hearth.Store;

namespace Hearth.Server.Observability;

/// <summary>
/// When the sweeper times a job out, names what was still open at the deadline, from the spans its worker reported:
/// <c>TIMED_OUT after 120000 ms: step "synthesis" open for 95.2 s; call web-retrieval[2] open for 95.0 s</c>, outermost
/// first, and marks those spans <c>hearth.hung</c> in the trace. The error stays a string (Runpod clients read it so).
/// </summary>
public sealed class TimeoutDiagnosis(IHearthStore store, JobTracing tracing)
{
    /// <summary>Most open spans named in one error: 5 (the rest are counted).</summary>
    public const int MaxNamed = 5;

    /// <summary>Diagnoses the jobs among <paramref name="jobIds"/> that are TIMED_OUT; returns how many errors were rewritten.</summary>
    public async Task<int> DiagnoseAsync(string endpoint, IReadOnlyList<string> jobIds, long deadlineMs, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(jobIds);
        var rewritten = 0;
        foreach (var id in jobIds)
        {
            var job = await store.GetAsync(endpoint, id, cancellationToken).ConfigureAwait(false);
            if (job?.Status != JobStatus.TimedOut || JobTraceContext.Parse(job.TraceContext) is not { } context)
            {
                continue;
            }

            var read = await tracing.Traces.ReadTraceAsync(context.TraceId, cancellationToken).ConfigureAwait(false);
            var open = read.Spans.Select(TraceView.Parse)
                .Where(s => s is { Open: true } && TraceView.Attr(s, HearthTelemetry.Attributes.JobId) == id)
                .Select(s => s!)
                .ToList();
            var named = open.Where(s => s.Name.StartsWith(HearthTelemetry.Spans.StepPrefix, StringComparison.Ordinal) || s.Name.StartsWith(HearthTelemetry.Spans.CallPrefix, StringComparison.Ordinal))
                .OrderBy(s => s.StartMs).ThenBy(s => s.SpanId, StringComparer.Ordinal).ToList();
            if (named.Count == 0)
            {
                named = [.. open.Where(s => s.Name == HearthTelemetry.Spans.Execute)];
            }

            if (named.Count == 0)
            {
                continue;
            }

            var parts = named.Take(MaxNamed).Select(s => $"{Describe(s)} open for {((deadlineMs - s.StartMs) / 1000.0).ToString("0.0", CultureInfo.InvariantCulture)} s").ToList();
            if (named.Count > MaxNamed)
            {
                parts.Add($"and {named.Count - MaxNamed} more");
            }

            await tracing.Traces.MarkHungAsync(context.TraceId, [.. named.Select(s => s.SpanId)], deadlineMs, tracing.Options.Retention, cancellationToken).ConfigureAwait(false);
            if (await tracing.Traces.SetTimeoutErrorAsync(endpoint, id, string.Join("; ", parts), cancellationToken).ConfigureAwait(false))
            {
                rewritten++;
            }
        }

        return rewritten;
    }

    private static string Describe(SpanRecord span)
    {
        if (span.Name.StartsWith(HearthTelemetry.Spans.StepPrefix, StringComparison.Ordinal))
        {
            return $"step \"{TraceView.Attr(span, HearthTelemetry.Attributes.Step) ?? span.Name[HearthTelemetry.Spans.StepPrefix.Length..]}\"";
        }

        if (span.Name.StartsWith(HearthTelemetry.Spans.CallPrefix, StringComparison.Ordinal))
        {
            return $"call {TraceView.Attr(span, HearthTelemetry.Attributes.Call) ?? span.Name[HearthTelemetry.Spans.CallPrefix.Length..]}";
        }

        return span.Name;
    }
}

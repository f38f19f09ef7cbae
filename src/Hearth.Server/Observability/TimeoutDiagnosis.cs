using System.Globalization;
using Hearth.Core.Jobs;
using Hearth.Core.Tracing;
using Hearth.Store;

namespace Hearth.Server.Observability;

/// <summary>
/// Just before the sweeper times a job out, names what was still open at the deadline, from the spans its worker
/// reported:
/// <c>TIMED_OUT after 120000 ms: step "synthesis" open for 95.2 s; call web-retrieval[2] open for 95.0 s</c>, outermost
/// first, and marks those spans <c>hearth.hung</c> in the trace. The note is stored with the running job and the sweep
/// writes it as the error in the same step that makes the job TIMED_OUT, so no reader sees a TIMED_OUT job without it.
/// The error stays a string (Runpod clients read it so).
/// </summary>
public sealed class TimeoutDiagnosis(IJobStore store, JobTracing tracing)
{
    /// <summary>Most open spans named in one error: 5 (the rest are counted).</summary>
    public const int MaxNamed = 5;

    /// <summary>Most jobs diagnosed per endpoint and sweep: 100 (the rest time out with the plain error).</summary>
    public const int MaxPerSweep = 100;

    /// <summary>
    /// Notes a diagnosis for every running job of <paramref name="endpoint"/> past its deadline; returns the spans each
    /// names, to be marked hung by <see cref="MarkHungAsync"/> once the sweep has timed the job out.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, HungSpans>> DiagnoseDueAsync(
        string endpoint, long deadlineMs, CancellationToken cancellationToken = default)
    {
        var due = await tracing.Traces.DueTimeoutsAsync(endpoint, deadlineMs, MaxPerSweep, cancellationToken)
            .ConfigureAwait(false);
        var noted = new Dictionary<string, HungSpans>(StringComparer.Ordinal);
        foreach (var id in due)
        {
            var job = await store.GetAsync(endpoint, id, cancellationToken).ConfigureAwait(false);
            if (job?.Status != JobStatus.InProgress || JobTraceContext.Parse(job.TraceContext) is not { } context)
            {
                continue;
            }

            var read = await tracing.Traces.ReadTraceAsync(context.TraceId, cancellationToken).ConfigureAwait(false);
            var open = read.Spans.Select(TraceView.Parse)
                .Where(s => s is { Open: true } && TraceView.Attr(s, HearthTelemetry.Attributes.JobId) == id)
                .Select(s => s!)
                .ToList();
            var named = open.Where(s => s.Name.StartsWith(HearthTelemetry.Spans.StepPrefix, StringComparison.Ordinal)
                || s.Name.StartsWith(HearthTelemetry.Spans.CallPrefix, StringComparison.Ordinal))
                .OrderBy(s => s.StartMs).ThenBy(s => s.SpanId, StringComparer.Ordinal).ToList();
            // With no step or call open, "execute open for N s" would only repeat the plain timeout error.
            if (named.Count == 0)
            {
                continue;
            }

            // Measured to the job's own deadline (taken + execution timeout), not to this sweep, which runs up to a
            // tick later.
            var deadline = job.DelayTimeMs is { } delay && job.ExecutionTimeoutMs is { } limit
                ? Math.Min(deadlineMs, job.SubmittedMs + delay + limit) : deadlineMs;
            var parts = named.Take(MaxNamed).Select(s =>
                $"{Describe(s)} open for "
                + $"{(Math.Max(0, deadline - s.StartMs) / 1000.0).ToString("0.0", CultureInfo.InvariantCulture)} s")
                .ToList();
            if (named.Count > MaxNamed)
            {
                parts.Add($"and {named.Count - MaxNamed} more");
            }

            if (await tracing.Traces.NoteTimeoutAsync(endpoint, id, string.Join("; ", parts), cancellationToken)
                .ConfigureAwait(false))
            {
                noted[id] = new HungSpans(context.TraceId, [.. named.Select(s => s.SpanId)], deadlineMs);
            }
        }

        return noted;
    }

    /// <summary>Marks the named spans of the jobs the sweep actually timed out as <c>hearth.hung</c>.</summary>
    public async Task MarkHungAsync(IReadOnlyDictionary<string, HungSpans> noted, IEnumerable<string> finalized,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(noted);
        ArgumentNullException.ThrowIfNull(finalized);
        foreach (var id in finalized)
        {
            if (noted.TryGetValue(id, out var hung))
            {
                await tracing.Traces.MarkHungAsync(hung.TraceId, hung.SpanIds, hung.DeadlineMs,
                    tracing.Options.Retention, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static string Describe(SpanRecord span)
    {
        if (span.Name.StartsWith(HearthTelemetry.Spans.StepPrefix, StringComparison.Ordinal))
        {
            return $"step \"{TraceView.Attr(span, HearthTelemetry.Attributes.Step)
                ?? span.Name[HearthTelemetry.Spans.StepPrefix.Length..]}\"";
        }

        if (span.Name.StartsWith(HearthTelemetry.Spans.CallPrefix, StringComparison.Ordinal))
        {
            return $"call {TraceView.Attr(span, HearthTelemetry.Attributes.Call)
                ?? span.Name[HearthTelemetry.Spans.CallPrefix.Length..]}";
        }

        return span.Name;
    }
}

/// <summary>The spans a timeout diagnosis named.</summary>
/// <param name="TraceId">Their trace.</param>
/// <param name="SpanIds">The spans open at the deadline.</param>
/// <param name="DeadlineMs">The deadline (Unix ms).</param>
public sealed record HungSpans(string TraceId, IReadOnlyList<string> SpanIds, long DeadlineMs);

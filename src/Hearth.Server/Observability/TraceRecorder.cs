using System.Diagnostics;
using Hearth.Core.Jobs;
using Hearth.Core.Tracing;
using Hearth.Store;
using Hearth.Store.Traces;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Hearth.Server.Observability;

/// <summary>
/// Writes the control plane's spans off the request path — the open job span at submit, and at the final state the
/// closed job span and its queue.wait span — for jobs inside another's trace (a job that starts its own trace is
/// rebuilt from the job when read); exports them through OpenTelemetry and counts the job metrics for every job.
/// </summary>
public sealed partial class TraceRecorder(
    JobTracing tracing, IJobStore store, HearthMetrics metrics, ILogger<TraceRecorder> logger) : BackgroundService
{
    /// <summary>Most trace writes in flight at once: a burst of finished jobs costs a few store round trips, not one
    /// each in turn.</summary>
    internal const int MaxConcurrentWrites = 64;

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<TraceWork>(MaxConcurrentWrites);
        try
        {
            while (await tracing.Work.WaitToReadAsync(stoppingToken).ConfigureAwait(false))
            {
                batch.Clear();
                while (batch.Count < MaxConcurrentWrites && tracing.Work.TryRead(out var work))
                {
                    batch.Add(work);
                }

                // One job's writes stay in order (its open span before its closed one); different jobs' run together.
                await Task.WhenAll(
                    batch.GroupBy(w => (w.Endpoint, w.JobId)).Select(job => RecordInOrderAsync(job,
                    stoppingToken))).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    private async Task RecordInOrderAsync(IEnumerable<TraceWork> writes, CancellationToken cancellationToken)
    {
        foreach (var work in writes)
        {
            try
            {
                await RecordAsync(work, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (StoreFaults.IsStoreFailure(e))
            {
                LogWriteFailed(logger, work.Endpoint, work.JobId, e);
            }
        }
    }

    internal async Task RecordAsync(TraceWork work, CancellationToken cancellationToken)
    {
        if (work.Kind == TraceWorkKind.Submitted)
        {
            var span = ControlPlaneSpans.OpenJob(work.Endpoint, work.JobId, work.SessionId, work.Context!, work.AtMs);
            await PutAsync([span], cancellationToken).ConfigureAwait(false);
            return;
        }

        var job = work.Final ?? await store.GetAsync(
            work.Endpoint, work.JobId, cancellationToken).ConfigureAwait(false);
        if (job is null || !JobStatus.IsFinal(job.Status))
        {
            return;
        }

        metrics.JobFinished(work.Endpoint, job.Status, job.DelayTimeMs, job.ExecutionTimeMs);
        if (JobTraceContext.Parse(job.TraceContext) is not { } context)
        {
            return;
        }

        // The root of its own trace is rebuilt from the job whenever the trace is read; only a job inside another's
        // trace is written, so that trace still shows it once the job itself is deleted.
        SpanRecord? stored = null;
        if (context.ParentSpanId is not null)
        {
            stored = await tracing.Traces.GetSpanAsync(
                context.TraceId, context.SpanId, cancellationToken).ConfigureAwait(false) is { } json
                ? TraceView.Parse(json)
                : null;
        }

        var spans = ControlPlaneSpans.FromSnapshot(work.Endpoint, job, context, stored).ToList();
        if (context.ParentSpanId is not null)
        {
            // The worker's spans that came with the result go to the caller's trace in the same write.
            await PutAsync([.. spans, .. ResultSpans.Parse(job.SpansJson, work.JobId, job.WorkerId)
                .Where(s => s.TraceId == context.TraceId)], cancellationToken).ConfigureAwait(false);
        }

        Export(work, spans);
    }

    private Task PutAsync(IReadOnlyList<SpanRecord> spans, CancellationToken cancellationToken) =>
        tracing.Traces.PutSpansAsync(
            spans[0].TraceId, [.. spans.Select(s => new StoredSpan(s.SpanId, s.Open, SpanJson.ToJson(s)))],
            tracing.Options.MaxSpansPerTrace, tracing.Options.Retention, cancellationToken);

    /// <summary>Ends the live job span (kept since submit, so it has the id its children point to) and exports
    /// queue.wait.</summary>
    private void Export(TraceWork work, List<SpanRecord> spans)
    {
        var job = spans[0];
        if (tracing.TakeLive(work.Endpoint, work.JobId) is { } live)
        {
            foreach (var (key, value) in job.Attributes)
            {
                live.SetTag(
                    key,
                    value.ValueKind == System.Text.Json.JsonValueKind.Number ? value.GetInt64() : value.ToString());
            }

            live.SetStatus(job.Status == "ok" ? ActivityStatusCode.Ok : ActivityStatusCode.Error);
            live.SetEndTime(DateTimeOffset.FromUnixTimeMilliseconds((long)job.EndMs!.Value).UtcDateTime);
            live.Stop();
        }

        if (spans.Count > 1)
        {
            var wait = spans[1];
            var parent = new ActivityContext(
                ActivityTraceId.CreateFromString(job.TraceId), ActivitySpanId.CreateFromString(job.SpanId),
                ActivityTraceFlags.Recorded);
            using var activity = HearthTelemetry.Source.StartActivity(
                HearthTelemetry.Spans.QueueWait, ActivityKind.Internal, parent,
                startTime: DateTimeOffset.FromUnixTimeMilliseconds((long)wait.StartMs));
            if (activity is not null)
            {
                foreach (var (key, value) in wait.Attributes)
                {
                    activity.SetTag(
                        key,
                        value.ValueKind == System.Text.Json.JsonValueKind.Number ? value.GetInt64() : value.ToString());
                }

                activity.SetEndTime(DateTimeOffset.FromUnixTimeMilliseconds((long)wait.EndMs!.Value).UtcDateTime);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Could not record the trace of job {JobId} of {Endpoint}; the store is unreachable or slow.")]
    private static partial void LogWriteFailed(ILogger logger, string endpoint, string jobId, Exception exception);
}

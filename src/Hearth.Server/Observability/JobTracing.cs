using System.Collections.Concurrent;
using System.Diagnostics;
using System.Threading.Channels;
using Hearth.Core.Tracing;
using Hearth.Store.Jobs;
using Hearth.Store.Traces;
using Microsoft.Extensions.Options;

namespace Hearth.Server.Observability;

/// <summary>
/// The control plane's side of tracing. At submit it gives the job its <c>job</c> span identity (a child of the
/// caller's
/// <c>traceparent</c>, or a new trace) which is stored with the job and handed to the worker; the job span lasts across
/// processes and restarts, so it is recorded from the stored timestamps when the job reaches its final state. Store
/// writes happen off the request path, in <see cref="TraceRecorder"/>; the queue is bounded and drops when full.
/// </summary>
public sealed class JobTracing
{
    /// <summary>Most job spans kept live (for OTLP export with their own ids) at once: 10000; beyond, the oldest are
    /// dropped.</summary>
    public const int MaxLiveJobSpans = 10_000;

    /// <summary>Most pending trace writes: 10000; beyond, writes are dropped (counted) rather than slowing the job
    /// path.</summary>
    public const int MaxPendingWrites = 10_000;

    private readonly ConcurrentDictionary<(string Endpoint, string JobId), Activity> _live = new();
    private readonly Channel<TraceWork> _work = Channel.CreateBounded<TraceWork>(
        new BoundedChannelOptions(MaxPendingWrites)
        {
            FullMode = BoundedChannelFullMode.DropWrite,
            SingleReader = true,
        });

    private const string HostingActivity = "Microsoft.AspNetCore.Hosting.HttpRequestIn";

    private readonly TimeProvider _time;

    /// <summary>Creates the tracing service.</summary>
    public JobTracing(ITraceStore traces, TimeProvider time, IOptions<TracingOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Traces = traces;
        _time = time;
        Options = options.Value;
    }

    /// <summary>The span store.</summary>
    public ITraceStore Traces { get; }

    /// <summary>Span store settings.</summary>
    public TracingOptions Options { get; }

    /// <summary>Trace writes dropped because the queue was full.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    private long _dropped;

    internal ChannelReader<TraceWork> Work => _work.Reader;

    /// <summary>
    /// Gives a new job its job span: a child of <paramref name="traceParent"/> (the submit's W3C header; a
    /// <c>ctx.CallAsync</c> sends its call span) or of the current activity, else the root of a new trace.
    /// </summary>
    public JobTraceContext Begin(string endpoint, string jobId, string? sessionId, string? traceParent)
    {
        // ASP.NET Core's own request activity is never exported: a job submitted without a traceparent starts a trace.
        var current = Activity.Current is { OperationName: not HostingActivity } a ? a.Context : (ActivityContext?)null;
        var parent = JobTraceContext.ParseTraceParent(traceParent) ?? current;
        var now = _time.GetUtcNow();

        // The job span outlives this request: it must not become the request's current activity, nor the child of the
        // request's (unrecorded) hosting activity when it is a root.
        var previous = Activity.Current;
        Activity.Current = null;
        var activity = HearthTelemetry.Source.StartActivity(HearthTelemetry.Spans.Job, ActivityKind.Internal,
            parent ?? default, startTime: now);
        Activity.Current = previous;

        JobTraceContext context;
        if (activity is not null)
        {
            context = new JobTraceContext(activity.TraceId.ToHexString(), activity.SpanId.ToHexString(),
                parent?.SpanId.ToHexString());
            activity.SetTag(HearthTelemetry.Attributes.Endpoint, endpoint);
            activity.SetTag(HearthTelemetry.Attributes.JobId, jobId);
            activity.SetTag(HearthTelemetry.Attributes.SessionId, sessionId);
            if (_live.Count >= MaxLiveJobSpans)
            {
                EvictOldest();
            }

            _live[(endpoint, jobId)] = activity;
        }
        else
        {
            // No exporter listens: the ids are ours to choose, for the built-in span store.
            context = new JobTraceContext(
                parent?.TraceId.ToHexString() ?? ActivityTraceId.CreateRandom().ToHexString(),
                ActivitySpanId.CreateRandom().ToHexString(),
                parent?.SpanId.ToHexString());
        }

        // A job inside another's trace (a call, a client's traceparent) is written to the span store now, so that
        // trace shows it from its submit on; a job that starts its own trace is rebuilt from the job itself whenever
        // its trace is read, so it costs no store write (see TraceView).
        if (context.ParentSpanId is not null)
        {
            Enqueue(new TraceWork(endpoint, jobId, TraceWorkKind.Submitted, sessionId, context,
                now.ToUnixTimeMilliseconds()));
        }

        return context;
    }

    /// <summary>
    /// The job reached a final state (done, cancelled or purged, timed out, lost too often): record its spans.
    /// </summary>
    public void Finalized(string endpoint, string jobId, JobSnapshot? final = null) =>
        Enqueue(new TraceWork(endpoint, jobId, TraceWorkKind.Finalized, null, null,
            _time.GetUtcNow().ToUnixTimeMilliseconds()) { Final = final });

    /// <summary>
    /// The job was deleted before it reached a final state (its TTL ran out): there is no stored job to record its
    /// spans from, so its live job span, when this process holds it, ends now as an error for OpenTelemetry export.
    /// </summary>
    public void Expired(string endpoint, string jobId)
    {
        if (TakeLive(endpoint, jobId) is { } live)
        {
            live.SetStatus(ActivityStatusCode.Error, "deleted by its TTL before it reached a final state");
            live.SetEndTime(_time.GetUtcNow().UtcDateTime);
            live.Stop();
        }
    }

    /// <summary>
    /// Jobs that end on another replica never hand their live span back here: when the registry is
    /// full, the oldest tenth is dropped unexported (the span store still has those job spans).
    /// </summary>
    private void EvictOldest()
    {
        foreach (var key in _live.OrderBy(e => e.Value.StartTimeUtc).Take(MaxLiveJobSpans / 10).Select(e => e.Key)
            .ToList())
        {
            _live.TryRemove(key, out _);
        }
    }

    /// <summary>Removes and returns the live job span of a job, when this process still holds it.</summary>
    internal Activity? TakeLive(string endpoint, string jobId) =>
        _live.TryRemove((endpoint, jobId), out var a) ? a : null;

    private void Enqueue(TraceWork work)
    {
        if (!_work.Writer.TryWrite(work))
        {
            Interlocked.Increment(ref _dropped);
        }
    }
}

/// <summary>What <see cref="TraceRecorder"/> writes.</summary>
internal enum TraceWorkKind
{
    Submitted,
    Finalized,
}

/// <summary>One pending trace write.</summary>
internal sealed record TraceWork(
    string Endpoint, string JobId, TraceWorkKind Kind, string? SessionId, JobTraceContext? Context, long AtMs)
{
    /// <summary>For a final state reached through a worker's result: the job as the store returned it, so it is not
    /// read again.</summary>
    public JobSnapshot? Final { get; init; }
}

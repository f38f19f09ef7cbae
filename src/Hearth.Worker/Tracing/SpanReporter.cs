using System.Buffers;
using System.Diagnostics;
using System.Text.Json;
using Hearth.Core.Tracing;

namespace Hearth.Worker.Tracing;

/// <summary>
/// Sends this worker's spans to its control plane (<c>job-spans</c>, a Hearth extension): each span when it starts
/// (so the control plane knows what is open when a job hits its deadline) and again when it ends. Latest state per
/// span, at most <see cref="MaxPending"/> pending (new spans beyond are dropped and counted), in batches of
/// <see cref="MaxBatch"/>; the spans still pending when a job ends go with its result instead
/// (<see cref="TakeJob"/>). Listens to the <c>Hearth</c> source for spans under this worker's own execute spans only.
/// </summary>
internal sealed class SpanReporter : IDisposable
{
    /// <summary>Most span states waiting to be sent: 2048.</summary>
    public const int MaxPending = 2048;

    /// <summary>Most spans per report: 256 (the control plane's default limit).</summary>
    public const int MaxBatch = 256;

    /// <summary>Most spans that go with a job's result: 16 (the control plane keeps them in the job's
    /// record).</summary>
    public const int MaxWithResult = 16;

    private readonly Lock _gate = new();

    // The spans not yet sent, each with its job's execute span. An activity holds its latest state, so a span is made
    // into a record only when it is sent: a job that ends between two reports costs one record per span, not two.
    private readonly Dictionary<ActivitySpanId, (Activity Span, Activity Execute)> _pending = [];

    // Span ids in the order they became pending; ids taken with their job's result stay here until a batch passes.
    private readonly List<ActivitySpanId> _order = [];
    private readonly Dictionary<string, HashSet<ActivitySpanId>> _byJob = new(StringComparer.Ordinal);
    private readonly ActivityListener _listener;
    private readonly string _workerId;

    public SpanReporter(string workerId)
    {
        _workerId = workerId;
        _listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == HearthTelemetry.Name,
            // Only the worker's own kinds of span: a control plane in the same process (tests, benchmarks) must not
            // be made to create its job spans because this listener would take them.
            Sample = (ref ActivityCreationOptions<ActivityContext> o) => IsWorkerSpan(o.Name)
                ? ActivitySamplingResult.AllDataAndRecorded
                : ActivitySamplingResult.None,
            ActivityStarted = a => Observe(a),
            ActivityStopped = a => Observe(a),
        };
        ActivitySource.AddActivityListener(_listener);
    }

    /// <summary>Span states dropped because too many were pending.</summary>
    public long Dropped { get; private set; }

    private void Observe(Activity activity)
    {
        // Only the control plane's traced jobs (those that came with a traceparent: their execute span has a parent)
        // are reported; a job without one still has its spans for any OpenTelemetry exporter of the worker's own.
        var execute = WorkerSpans.Execute(activity);
        if (execute?.GetTagItem(HearthTelemetry.Attributes.WorkerId) as string != _workerId
            || execute.ParentSpanId == default)
        {
            return;
        }

        lock (_gate)
        {
            // Pending already: the activity itself carries its new state. Sent while open: it goes again when it ends.
            if (_pending.ContainsKey(activity.SpanId))
            {
                return;
            }

            if (_pending.Count >= MaxPending)
            {
                Dropped++;
                return;
            }

            _pending[activity.SpanId] = (activity, execute);
            _order.Add(activity.SpanId);
            if (execute.GetTagItem(HearthTelemetry.Attributes.JobId) is string job)
            {
                (_byJob.TryGetValue(job, out var ids) ? ids : _byJob[job] = []).Add(activity.SpanId);
            }
        }
    }

    /// <summary>
    /// Takes the pending spans of a finished job, to go with its result (<c>"spans"</c> on job-done, a Hearth
    /// extension): a job that ends between two reports then costs no report of its own. Empty when none are pending,
    /// or when more than <see cref="MaxWithResult"/> are (they stay for the next report).
    /// </summary>
    public IReadOnlyList<SpanRecord> TakeJob(string jobId)
    {
        List<(Activity Span, Activity Execute)> taken;
        lock (_gate)
        {
            if (!_byJob.TryGetValue(jobId, out var ids) || ids.Count > MaxWithResult)
            {
                return [];
            }

            _byJob.Remove(jobId);
            taken = new(ids.Count);
            foreach (var id in ids)
            {
                if (_pending.Remove(id, out var span))
                {
                    taken.Add(span);
                }
            }
        }

        return [.. taken.Select(t => ToRecord(t.Span, t.Execute))];
    }

    private static bool IsWorkerSpan(string name) => name == HearthTelemetry.Spans.Execute
        || name.StartsWith(HearthTelemetry.Spans.StepPrefix, StringComparison.Ordinal)
        || name.StartsWith(HearthTelemetry.Spans.CallPrefix, StringComparison.Ordinal);

    /// <summary>Takes up to <see cref="MaxBatch"/> pending spans as a report body, or null when none are
    /// pending.</summary>
    public string? TakeBatch()
    {
        List<(Activity Span, Activity Execute)> batch;
        lock (_gate)
        {
            batch = [];
            var passed = 0;
            while (passed < _order.Count && batch.Count < MaxBatch)
            {
                var id = _order[passed++];
                if (_pending.Remove(id, out var span))
                {
                    batch.Add(span);
                    if (span.Execute.GetTagItem(HearthTelemetry.Attributes.JobId) is string job
                        && _byJob.TryGetValue(job, out var ids) && ids.Remove(id) && ids.Count == 0)
                    {
                        _byJob.Remove(job);
                    }
                }
            }

            _order.RemoveRange(0, passed);
            if (batch.Count == 0)
            {
                return null;
            }
        }

        return "{\"spans\":" + ToJson([.. batch.Select(t => ToRecord(t.Span, t.Execute))]) + "}";
    }

    /// <summary>Spans as a JSON array.</summary>
    public static string ToJson(IReadOnlyList<SpanRecord> spans)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartArray();
            foreach (var span in spans)
            {
                SpanJson.Write(w, span);
            }

            w.WriteEndArray();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private SpanRecord ToRecord(Activity a, Activity execute)
    {
        var attributes = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var (key, value) in a.TagObjects)
        {
            if (Element(value) is { } e)
            {
                attributes[key] = e;
            }
        }

        // Steps and calls carry the job's identity too, so the control plane can find them at a deadline.
        foreach (var key in new[] { HearthTelemetry.Attributes.JobId, HearthTelemetry.Attributes.Endpoint,
            HearthTelemetry.Attributes.WorkerId })
        {
            if (!attributes.ContainsKey(key) && a != execute && execute.GetTagItem(key) is string v)
            {
                attributes[key] = JsonSerializer.SerializeToElement(v, WorkerJson.Default.String);
            }
        }

        var start = new DateTimeOffset(a.StartTimeUtc).ToUnixTimeMilliseconds()
            + (a.StartTimeUtc.Ticks % TimeSpan.TicksPerMillisecond / 10_000.0);
        double? end = a.Duration > TimeSpan.Zero || a.IsStopped ? start + a.Duration.TotalMilliseconds : null;
        var status = a.Status switch
        {
            ActivityStatusCode.Ok => "ok",
            ActivityStatusCode.Error => "error",
            _ => "unset",
        };
        var parent = a.ParentSpanId == default ? null : a.ParentSpanId.ToHexString();
        return new SpanRecord(a.TraceId.ToHexString(), a.SpanId.ToHexString(), parent, a.DisplayName,
            "worker:" + _workerId, start, end, status, attributes);
    }

    private static JsonElement? Element(object? value) => value switch
    {
        string s => JsonSerializer.SerializeToElement(s, WorkerJson.Default.String),
        bool b => JsonSerializer.SerializeToElement(b, WorkerJson.Default.Boolean),
        int i => JsonSerializer.SerializeToElement((long)i, WorkerJson.Default.Int64),
        long l => JsonSerializer.SerializeToElement(l, WorkerJson.Default.Int64),
        double d => JsonSerializer.SerializeToElement(d, WorkerJson.Default.Double),
        _ => null,
    };

    public void Dispose() => _listener.Dispose();
}

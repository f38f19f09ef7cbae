namespace Hearth.Store.Traces;

/// <summary>
/// The built-in span store: every span of a trace, from the control plane and from workers, kept under the trace's own
/// hash tag (<c>hearth:{t:traceId}:spans</c>), capped per trace and expired after a retention, so a trace can be shown
/// with no collector installed.
/// </summary>
public interface ITraceStore
{
    /// <summary>
    /// Writes span records of one trace. An open record never replaces a closed one; past <paramref name="maxSpans"/>
    /// new spans are dropped (updates of stored spans still apply). Every write extends the trace's life to
    /// <paramref name="retention"/>. Returns how many records were written.
    /// </summary>
    Task<long> PutSpansAsync(string traceId, IReadOnlyList<StoredSpan> spans, int maxSpans, TimeSpan retention,
        CancellationToken cancellationToken = default);

    /// <summary>Every stored span of a trace (empty when none or expired), with the hung marks.</summary>
    Task<TraceRead> ReadTraceAsync(string traceId, CancellationToken cancellationToken = default);

    /// <summary>One stored span's JSON, or null.</summary>
    Task<string?> GetSpanAsync(string traceId, string spanId, CancellationToken cancellationToken = default);

    /// <summary>Marks spans that were still open at their job's execution deadline (Unix ms).</summary>
    Task MarkHungAsync(string traceId, IReadOnlyList<string> spanIds, long deadlineMs, TimeSpan retention,
        CancellationToken cancellationToken = default);

    /// <summary>Running jobs of <paramref name="endpoint"/> past their execution deadline at <paramref name="nowMs"/>
    /// (the next sweep times them out).</summary>
    Task<IReadOnlyList<string>> DueTimeoutsAsync(string endpoint, long nowMs, int max,
        CancellationToken cancellationToken = default);

    /// <summary>
    /// Notes what was open at a running job's deadline; the sweep that times it out makes its error
    /// <c>TIMED_OUT after N ms: detail</c>. False when the job is not running.
    /// </summary>
    Task<bool> NoteTimeoutAsync(string endpoint, string jobId, string detail,
        CancellationToken cancellationToken = default);
}

/// <summary>One span record as stored.</summary>
/// <param name="SpanId">16 hex digits.</param>
/// <param name="Open">True while the span has not ended.</param>
/// <param name="Json">The span as JSON (<c>SpanRecord</c> of Hearth.Core).</param>
public sealed record StoredSpan(string SpanId, bool Open, string Json);

/// <summary>A trace as stored.</summary>
/// <param name="Spans">Span JSON, one per span id.</param>
/// <param name="Hung">Span id → the deadline (Unix ms) at which it was still open.</param>
public sealed record TraceRead(IReadOnlyList<string> Spans, IReadOnlyDictionary<string, long> Hung);

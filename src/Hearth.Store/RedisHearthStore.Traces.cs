using System.Globalization;
using Hearth.Store.Scripts;
using Hearth.Store.Traces;
using StackExchange.Redis;

namespace Hearth.Store;

public sealed partial class RedisHearthStore : ITraceStore
{
    private static RedisKey SpansKey(string traceId) => $"hearth:{{t:{traceId}}}:spans";

    private static RedisKey HungKey(string traceId) => $"hearth:{{t:{traceId}}}:hung";

    /// <inheritdoc />
    public async Task<long> PutSpansAsync(string traceId, IReadOnlyList<StoredSpan> spans, int maxSpans,
        TimeSpan retention, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spans);
        if (spans.Count == 0)
        {
            return 0;
        }

        var args = new RedisValue[2 + (2 * spans.Count)];
        args[0] = maxSpans;
        args[1] = Ms((long)retention.TotalMilliseconds);
        for (var i = 0; i < spans.Count; i++)
        {
            args[2 + (2 * i)] = spans[i].SpanId;
            args[3 + (2 * i)] = (spans[i].Open ? "o" : "c") + spans[i].Json;
        }

        return (long)await _db.ScriptEvaluateAsync(ScriptLibrary.SpanPut, [SpansKey(traceId)], args)
            .ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<TraceRead> ReadTraceAsync(string traceId, CancellationToken cancellationToken = default)
    {
        var spans = _db.HashGetAllAsync(SpansKey(traceId));
        var hung = _db.HashGetAllAsync(HungKey(traceId));
        await Task.WhenAll(spans, hung).ConfigureAwait(false);
        return new TraceRead(
            [.. spans.Result.Select(e => ((string)e.Value!)[1..])],
            hung.Result.ToDictionary(e => (string)e.Name!,
                e => long.Parse((string)e.Value!, CultureInfo.InvariantCulture), StringComparer.Ordinal));
    }

    /// <inheritdoc />
    public async Task<string?> GetSpanAsync(
        string traceId, string spanId, CancellationToken cancellationToken = default) =>
        (string?)await _db.HashGetAsync(SpansKey(traceId), spanId).ConfigureAwait(false) is { Length: > 1 } record
            ? record[1..] : null;

    /// <inheritdoc />
    public async Task MarkHungAsync(string traceId, IReadOnlyList<string> spanIds, long deadlineMs, TimeSpan retention,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spanIds);
        if (spanIds.Count == 0)
        {
            return;
        }

        var args = new RedisValue[1 + (2 * spanIds.Count)];
        args[0] = Ms((long)retention.TotalMilliseconds);
        for (var i = 0; i < spanIds.Count; i++)
        {
            args[1 + (2 * i)] = spanIds[i];
            args[2 + (2 * i)] = Ms(deadlineMs);
        }

        await _db.ScriptEvaluateAsync(ScriptLibrary.SpanHung, [HungKey(traceId)], args).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<string>> DueTimeoutsAsync(
        string endpoint, long nowMs, int max, CancellationToken cancellationToken = default) =>
        ToStrings(await EvalAsync(ScriptLibrary.TimeoutDue, endpoint, [Ms(nowMs), max]).ConfigureAwait(false));

    /// <inheritdoc />
    public async Task<bool> NoteTimeoutAsync(
        string endpoint, string jobId, string detail, CancellationToken cancellationToken = default) =>
        (long)await EvalAsync(ScriptLibrary.TimeoutError, endpoint, [jobId, detail]).ConfigureAwait(false) == 1;
}

using System.Globalization;
using Hearth.Store.Jobs;
using Hearth.Store.Scripts;
using StackExchange.Redis;

namespace Hearth.Store;

/// <summary>
/// <see cref="IHearthStore"/> over StackExchange.Redis. Each method is one Lua script (atomic on Redis, and on
/// Garnet started with <c>--lua-transaction-mode</c>); StackExchange.Redis caches the script SHA and uses EVALSHA.
/// </summary>
public sealed partial class RedisHearthStore : IHearthStore
{
    private readonly IDatabase _db;
    private readonly bool _waitAof;

    /// <summary>Creates a store over an open connection, loading every script into the server.</summary>
    /// <param name="connection">The connection.</param>
    /// <param name="waitAof">Follow every write a client is told succeeded (submit, result, step, state) with <c>WAITAOF 1 0</c>.</param>
    public RedisHearthStore(IConnectionMultiplexer connection, bool waitAof = false)
    {
        ArgumentNullException.ThrowIfNull(connection);
        _db = connection.GetDatabase();
        _waitAof = waitAof;

        // Loaded once here, every call is an EVALSHA: without it, a burst of first calls sends each script's whole
        // text (kilobytes) per call until the client learns the server has it.
        foreach (var endpoint in connection.GetEndPoints())
        {
            var server = connection.GetServer(endpoint);
            foreach (var script in ScriptLibrary.All)
            {
                server.ScriptLoad(script);
            }
        }
    }

    private Task<RedisResult> EvalAsync(string script, string endpoint, RedisValue[] args) =>
        _db.ScriptEvaluateAsync(script, EndpointKeys.For(endpoint), args);

    private static RedisValue Ms(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// In WAITAOF mode, waits until the writes made so far on this connection are fsynced to the server's AOF; a write
    /// that is not on disk within 5 s is reported as a store failure, never acknowledged.
    /// </summary>
    private async Task DurableAsync()
    {
        if (!_waitAof)
        {
            return;
        }

        var r = (RedisResult[])(await _db.ExecuteAsync("WAITAOF", 1, 0, 5000).ConfigureAwait(false))!;
        if ((long)r[0] < 1)
        {
            throw new RedisException("WAITAOF 1 0: the write was not fsynced to the store's append-only file within 5 s; it was not acknowledged.");
        }
    }

    /// <inheritdoc />
    public async Task<bool> SubmitAsync(string endpoint, NewJob job, CancellationToken cancellationToken = default) =>
        (await SubmitOnceAsync(endpoint, job, cancellationToken).ConfigureAwait(false)).Outcome == SubmitOutcome.Created;

    /// <inheritdoc />
    public async Task<SubmitResult> SubmitOnceAsync(string endpoint, NewJob job, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        var r = await EvalAsync(ScriptLibrary.Submit, endpoint,
        [
            job.Id, job.PayloadJson, Ms(job.SubmittedMs), Ms(job.TtlMs), Ms(job.ExecutionTimeoutMs),
            Ms(job.RetentionMs), job.LowPriority ? "1" : "0", job.Webhook ?? string.Empty, job.SessionId ?? "job:" + job.Id,
            Ms(job.SessionIdleMs), RecentJobsCap,
            job.Idempotency?.Key ?? string.Empty, job.Idempotency?.BodyHash ?? string.Empty, Ms(job.Idempotency?.TtlMs ?? 0),
            job.TraceContext ?? string.Empty,
        ]).ConfigureAwait(false);
        if (r.Resp2Type == ResultType.Array)
        {
            var pair = (RedisResult[])r!;
            return new SubmitResult((long)pair[0] == 2 ? SubmitOutcome.Replayed : SubmitOutcome.KeyReused, (string)pair[1]!);
        }

        if ((long)r != 1)
        {
            return new SubmitResult(SubmitOutcome.DuplicateId, job.Id);
        }

        await DurableAsync().ConfigureAwait(false);
        return new SubmitResult(SubmitOutcome.Created, job.Id);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<TakenJob>> TakeAsync(
        string endpoint, string workerId, int max, long nowMs, long leaseMs, CancellationToken cancellationToken = default)
    {
        var r = (RedisResult[])(await EvalAsync(ScriptLibrary.Take, endpoint,
            [workerId, Ms(nowMs), Ms(leaseMs), max]).ConfigureAwait(false))!;
        var jobs = new TakenJobs { ParkedAny = r.Length % 3 == 1 };
        for (var i = 0; i + 2 < r.Length; i += 3)
        {
            jobs.Add(new TakenJob((string)r[i]!, (string)r[i + 1]!, (int)r[i + 2]));
        }

        return jobs;
    }

    /// <inheritdoc />
    public async Task<CompleteResult> CompleteAsync(string endpoint, JobCompletion completion, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(completion);
        var r = (RedisResult[])(await EvalAsync(ScriptLibrary.Done, endpoint,
        [
            completion.JobId, completion.WorkerId,
            completion.Attempt?.ToString(CultureInfo.InvariantCulture) ?? string.Empty,
            Ms(completion.NowMs), completion.Failed ? "1" : "0", completion.OutputJson is null ? "0" : "1",
            completion.OutputJson ?? string.Empty, completion.Error ?? string.Empty,
        ]).ConfigureAwait(false))!;
        await DurableAsync().ConfigureAwait(false);
        return (long)r[0] switch
        {
            1 => new CompleteResult(HolderCheck.Accepted, (string?)r[1], (long)r[2]),
            0 => new CompleteResult(HolderCheck.NotFound, null, 0),
            _ => new CompleteResult(HolderCheck.NotHolder, (string?)r[1], 0),
        };
    }

    /// <inheritdoc />
    public async Task<HolderCheck> ReleaseAsync(string endpoint, string jobId, string workerId, CancellationToken cancellationToken = default) =>
        ToHolderCheck(await EvalAsync(ScriptLibrary.Release, endpoint, [jobId, workerId]).ConfigureAwait(false));

    /// <inheritdoc />
    public async Task<HolderCheck> ProgressAsync(
        string endpoint, string jobId, string workerId, string outputJson, CancellationToken cancellationToken = default) =>
        ToHolderCheck(await EvalAsync(ScriptLibrary.Progress, endpoint, [jobId, workerId, outputJson]).ConfigureAwait(false));

    /// <inheritdoc />
    public async Task<HolderCheck> AppendStreamAsync(
        string endpoint, string jobId, string workerId, string chunkJson, CancellationToken cancellationToken = default) =>
        ToHolderCheck(await EvalAsync(ScriptLibrary.StreamAppend, endpoint, [jobId, workerId, chunkJson]).ConfigureAwait(false));

    private static HolderCheck ToHolderCheck(RedisResult r) => (long)r switch
    {
        1 => HolderCheck.Accepted,
        0 => HolderCheck.NotFound,
        _ => HolderCheck.NotHolder,
    };

    /// <inheritdoc />
    public async Task<StreamRead?> ReadStreamAsync(string endpoint, string jobId, CancellationToken cancellationToken = default)
    {
        var r = (RedisResult[])(await EvalAsync(ScriptLibrary.StreamRead, endpoint, [jobId]).ConfigureAwait(false))!;
        if (r.Length == 0)
        {
            return null;
        }

        var chunks = new string[r.Length - 2];
        for (var i = 0; i < chunks.Length; i++)
        {
            chunks[i] = (string)r[i + 2]!;
        }

        return new StreamRead((string)r[0]!, ToLong(r[1]), chunks);
    }

    /// <inheritdoc />
    public async Task<HeartbeatResult> HeartbeatAsync(
        string endpoint, string workerId, IReadOnlyList<string> jobIds, long nowMs, long leaseMs, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(jobIds);
        var args = new RedisValue[3 + jobIds.Count];
        args[0] = workerId;
        args[1] = Ms(nowMs);
        args[2] = Ms(leaseMs);
        for (var i = 0; i < jobIds.Count; i++)
        {
            args[3 + i] = jobIds[i];
        }

        var r = (RedisResult[])(await EvalAsync(ScriptLibrary.Heartbeat, endpoint, args).ConfigureAwait(false))!;
        var renewedCount = (int)r[0];
        var renewed = r.Skip(1).Take(renewedCount).Select(x => (string)x!).ToArray();
        var stop = r.Skip(1 + renewedCount).Select(x => (string)x!).ToArray();
        return new HeartbeatResult(renewed, stop);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<string>> TakeStopSignalsAsync(string endpoint, string workerId, CancellationToken cancellationToken = default) =>
        ToStrings(await EvalAsync(ScriptLibrary.StopSignals, endpoint, [workerId]).ConfigureAwait(false));

    private static string[] ToStrings(RedisResult r) => [.. ((RedisResult[])r!).Select(x => (string)x!)];

    private static long? ToLong(RedisResult r) => r.IsNull ? null : long.Parse((string)r!, CultureInfo.InvariantCulture);
}

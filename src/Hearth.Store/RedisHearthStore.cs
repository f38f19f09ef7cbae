using System.Diagnostics;
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
    private readonly Func<CancellationToken, Task>? _durable;
    private readonly Action? _admit;
    private readonly Func<CancellationToken, Task>? _diagnose;

    /// <summary>Creates a store over an open connection, loading every script into the server.</summary>
    /// <param name="connection">The connection.</param>
    /// <param name="waitAof">
    /// Follow every write a client is told succeeded (submit, result, step, state, cancel, retry) with
    /// <c>WAITAOF 1 0</c>.
    /// </param>
    public RedisHearthStore(IConnectionMultiplexer connection, bool waitAof = false)
        : this(connection, waitAof ? WaitAofBarrier(connection.GetDatabase()) : null)
    {
    }

    /// <summary>
    /// Creates a store whose acknowledged writes each wait for <paramref name="durable"/> before they return.
    /// </summary>
    /// <param name="connection">The connection.</param>
    /// <param name="durable">
    /// Completes once everything the server has applied so far is on disk (embedded Garnet: its AOF commit; Redis
    /// without <c>appendfsync always</c>: <c>WAITAOF</c>); null when the server itself fsyncs before it answers, or
    /// nothing is promised.
    /// </param>
    /// <param name="admit">
    /// Throws a <see cref="StoreRefusedException"/> when the store must refuse new work (its disk budget is spent).
    /// </param>
    /// <param name="diagnose">
    /// Called when a script fails: throws a <see cref="StoreRefusedException"/> when the failure is the store's disk
    /// (the embedded store's commit wait); null for an external store.
    /// </param>
    internal RedisHearthStore(
        IConnectionMultiplexer connection, Func<CancellationToken, Task>? durable, Action? admit = null,
        Func<CancellationToken, Task>? diagnose = null)
    {
        _admit = admit;
        _diagnose = diagnose;
        ArgumentNullException.ThrowIfNull(connection);
        _db = connection.GetDatabase();
        _durable = durable;

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

    /// <summary>How far a job's stream and a session's journal and state may grow. Default: <see
    /// cref="GrowthLimits"/>'s defaults.</summary>
    public GrowthLimits Growth { get; init; } = new();

    private async Task<RedisResult> EvalAsync(EndpointScript script, string endpoint, RedisValue[] args)
    {
        try
        {
            return await _db.ScriptEvaluateAsync(script.Text, script.Keys(endpoint), args).ConfigureAwait(false);
        }
        catch (RedisServerException) when (_diagnose is not null)
        {
            // After a commit its disk refused (a file system gone read-only), the embedded store fails every script
            // ("Unexpected Lua error"); its commit wait then throws the refusal that names the data directory and the
            // fix. Any other script error stands.
            await _diagnose(CancellationToken.None).ConfigureAwait(false);
            throw;
        }
    }

    private static RedisValue Ms(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// Waits until the writes applied so far are durable (see the constructor's <c>durable</c>); a no-op when the
    /// server already was durable when it answered. Only writes a client or worker is told succeeded wait here: a lost
    /// take, heartbeat or span is repaired by leases and retries, a lost acknowledged job is not.
    /// </summary>
    /// <remarks>
    /// The rule: nothing reaches a client before it is durable. Acknowledgements (submit, cancel, retry) and reads a
    /// client sees (job status, stream, job detail) wait; a worker's writes that a later worker relies on (steps,
    /// session state) wait too. A job becomes takeable before its submit is durable (see
    /// <see cref="SubmitOnceAsync(string, NewJob, Action?, CancellationToken)"/>), and results are acknowledged to
    /// workers when applied: a store crash in that window re-runs the job, as a worker crash would.
    /// </remarks>
    private Task DurableAsync(CancellationToken cancellationToken) =>
        _durable?.Invoke(cancellationToken) ?? Task.CompletedTask;

    /// <summary>
    /// <c>WAITAOF 1 0</c>: a write that is not fsynced to the server's AOF within 5 s is a store failure, never
    /// acknowledged.
    /// </summary>
    private static Func<CancellationToken, Task> WaitAofBarrier(IDatabase db) => async _ =>
    {
        var r = (RedisResult[])(await db.ExecuteAsync("WAITAOF", 1, 0, 5000).ConfigureAwait(false))!;
        if ((long)r[0] < 1)
        {
            throw new RedisException(
                "WAITAOF 1 0: the write was not fsynced to the store's append-only file within 5 s; " +
                "it was not acknowledged.");
        }
    };

    /// <inheritdoc />
    public async Task<bool> SubmitAsync(string endpoint, NewJob job, CancellationToken cancellationToken = default) =>
        (await SubmitOnceAsync(endpoint, job, cancellationToken).ConfigureAwait(false)).Outcome
            == SubmitOutcome.Created;

    /// <inheritdoc />
    public Task<SubmitResult> SubmitOnceAsync(
        string endpoint, NewJob job, CancellationToken cancellationToken = default) =>
        SubmitOnceAsync(endpoint, job, visible: null, cancellationToken);

    /// <inheritdoc />
    public async Task<SubmitResult> SubmitOnceAsync(
        string endpoint, NewJob job, Action? visible, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        _admit?.Invoke();
        var result = (await SubmitScriptAsync(endpoint, [job]).ConfigureAwait(false))[0];
        if (result.Outcome == SubmitOutcome.Created)
        {
            visible?.Invoke();
            await DurableAsync(cancellationToken).ConfigureAwait(false);
        }

        return result;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<SubmitResult>> SubmitManyAsync(
        string endpoint, IReadOnlyList<NewJob> jobs, Action? visible, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        _admit?.Invoke();

        // One script for the batch: each job is queued (or refused) on its own, in order.
        var results = jobs.Count == 0 ? [] : await SubmitScriptAsync(endpoint, jobs).ConfigureAwait(false);
        if (results.Any(r => r.Outcome == SubmitOutcome.Created))
        {
            visible?.Invoke();
            await DurableAsync(cancellationToken).ConfigureAwait(false);
        }

        return results;
    }

    /// <summary>The fixed arguments of one job for <c>submit_job</c> (prelude.lua): id, first payload piece, …,
    /// trace context; the payload's further pieces follow them.</summary>
    private const int SubmitJobArgs = 14;

    /// <summary>The submit script alone, for all the jobs at once: they are visible to workers when it returns, not yet
    /// durable. One outcome per job, in order.</summary>
    private async Task<SubmitResult[]> SubmitScriptAsync(string endpoint, IReadOnlyList<NewJob> jobs)
    {
        var args = new List<RedisValue>(1 + ((SubmitJobArgs + 2) * jobs.Count)) { RecentJobsCap };
        foreach (var job in jobs)
        {
            ArgumentNullException.ThrowIfNull(job);
            var pieces = PayloadPieces.Split(job.PayloadJson);
            args.Add(SubmitJobArgs + pieces.Length - 1);
            var fixedFrom = args.Count;
            args.AddRange(
            [
                job.Id, pieces[0], Ms(job.SubmittedMs), Ms(job.TtlMs), Ms(job.ExecutionTimeoutMs),
                Ms(job.RetentionMs), job.LowPriority ? "1" : "0", job.Webhook ?? string.Empty,
                job.SessionId ?? SessionLimits.OwnPrefix + job.Id, Ms(job.SessionIdleMs),
                job.Idempotency?.Key ?? string.Empty, job.Idempotency?.BodyHash ?? string.Empty,
                Ms(job.Idempotency?.TtlMs ?? 0), job.TraceContext ?? string.Empty,
            ]);
            Debug.Assert(args.Count - fixedFrom == SubmitJobArgs, "submit_job's fixed arguments changed");
            args.AddRange(pieces.Skip(1).Select(p => (RedisValue)p));
        }

        var r = (RedisResult[])(await EvalAsync(ScriptLibrary.Submit, endpoint, [.. args]).ConfigureAwait(false))!;
        var results = new SubmitResult[jobs.Count];
        for (var i = 0; i < results.Length; i++)
        {
            if (r[i].Resp2Type == ResultType.Array)
            {
                var pair = (RedisResult[])r[i]!;
                results[i] = new SubmitResult(
                    (long)pair[0] == 2 ? SubmitOutcome.Replayed : SubmitOutcome.KeyReused, (string)pair[1]!);
            }
            else
            {
                results[i] = new SubmitResult(
                    (long)r[i] == 1 ? SubmitOutcome.Created : SubmitOutcome.DuplicateId, jobs[i].Id);
            }
        }

        return results;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<TakenJob>> TakeAsync(
        string endpoint, string workerId, int max, long nowMs, long leaseMs,
        CancellationToken cancellationToken = default)
    {
        var r = (RedisResult[])(await EvalAsync(ScriptLibrary.Take, endpoint,
            [workerId, Ms(nowMs), Ms(leaseMs), max]).ConfigureAwait(false))!;
        return Taken(r);
    }

    /// <summary>The jobs a take granted: id, payload, attempt triples, then 'parked' when one was set aside.</summary>
    private static TakenJobs Taken(ReadOnlySpan<RedisResult> r)
    {
        var jobs = new TakenJobs { ParkedAny = r.Length % 3 == 1 };
        for (var i = 0; i + 2 < r.Length; i += 3)
        {
            jobs.Add(new TakenJob((string)r[i]!, (string)r[i + 1]!, (int)r[i + 2]));
        }

        return jobs;
    }

    /// <inheritdoc />
    public async Task<CompleteResult> CompleteAsync(
        string endpoint, JobCompletion completion, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(completion);
        var done = await CompleteAllAsync(endpoint, completion.WorkerId, [completion], 0, completion.NowMs, 0,
            cancellationToken).ConfigureAwait(false);
        return done.Results[0];
    }

    /// <inheritdoc />
    public async Task<CompletedAndTaken> CompleteAllAsync(
        string endpoint, string workerId, IReadOnlyList<JobCompletion> completions, int takeMax, long nowMs,
        long leaseMs, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(completions);
        var args = new RedisValue[4 + (7 * completions.Count)];
        (args[0], args[1], args[2], args[3]) = (workerId, Ms(nowMs), Math.Max(0, takeMax), Ms(leaseMs));
        for (var i = 0; i < completions.Count; i++)
        {
            var c = completions[i];
            if (c.WorkerId != workerId)
            {
                throw new ArgumentException($"Completion {i} is from worker '{c.WorkerId}', not '{workerId}'.",
                    nameof(completions));
            }

            var at = 4 + (7 * i);
            args[at] = c.JobId;
            args[at + 1] = c.Attempt?.ToString(CultureInfo.InvariantCulture) ?? string.Empty;
            args[at + 2] = c.Failed ? "1" : "0";
            args[at + 3] = c.OutputJson is null ? "0" : "1";
            args[at + 4] = c.OutputJson ?? string.Empty;
            args[at + 5] = c.Error ?? string.Empty;
            args[at + 6] = c.SpansJson ?? string.Empty;
        }

        var r = (RedisResult[])(await EvalAsync(ScriptLibrary.Done, endpoint, args).ConfigureAwait(false))!;

        // Not waited for here: every read a client can see (status, runsync, stream, webhooks, callers) waits until
        // the result is durable, and a result lost in a store crash before that is a job run again, as after a
        // worker crash just before it reported. Waiting here would hold the worker's next job behind every commit.
        var results = new CompleteResult[(int)r[0]];
        for (var i = 0; i < results.Length; i++)
        {
            results[i] = Completed(completions[i], r.AsSpan(1 + (7 * i), 7));
        }

        return new CompletedAndTaken(results, Taken(r.AsSpan(1 + (7 * results.Length))));
    }

    private static CompleteResult Completed(JobCompletion completion, ReadOnlySpan<RedisResult> r) =>
        (long)r[0] switch
        {
            1 => new CompleteResult(HolderCheck.Accepted, (string?)r[1], ToLong(r[2]) ?? 0)
            {
                Final = new JobSnapshot(
                    completion.JobId, (string)r[1]!, completion.WorkerId, ToLong(r[4]), ToLong(r[2]) ?? 0, null,
                    null, null, (int)(ToLong(r[5]) ?? 0), 0, ToLong(r[3]) ?? 0, null)
                {
                    TraceContext = (string?)r[6] is { Length: > 0 } trace ? trace : null,
                    SpansJson = completion.SpansJson,
                },
            },
            0 => new CompleteResult(HolderCheck.NotFound, null, 0),
            _ => new CompleteResult(HolderCheck.NotHolder, (string?)r[1] is { Length: > 0 } s ? s : null, 0),
        };

    /// <inheritdoc />
    public async Task<HolderCheck> ReleaseAsync(
        string endpoint, string jobId, string workerId, CancellationToken cancellationToken = default) =>
        ToHolderCheck(await EvalAsync(ScriptLibrary.Release, endpoint, [jobId, workerId]).ConfigureAwait(false));

    /// <inheritdoc />
    public async Task<HolderCheck> ProgressAsync(
        string endpoint, string jobId, string workerId, string outputJson,
        CancellationToken cancellationToken = default) =>
        ToHolderCheck(await EvalAsync(ScriptLibrary.Progress, endpoint, [jobId, workerId, outputJson])
            .ConfigureAwait(false));

    /// <inheritdoc />
    public async Task<HolderCheck> AppendStreamAsync(
        string endpoint, string jobId, string workerId, string chunkJson,
        CancellationToken cancellationToken = default) =>
        ToHolderCheck(await EvalAsync(ScriptLibrary.StreamAppend, endpoint,
            [jobId, workerId, chunkJson, Growth.MaxStreamChunks]).ConfigureAwait(false));

    private static HolderCheck ToHolderCheck(RedisResult r) => (long)r switch
    {
        1 => HolderCheck.Accepted,
        0 => HolderCheck.NotFound,
        -2 => HolderCheck.LimitReached,
        _ => HolderCheck.NotHolder,
    };

    /// <inheritdoc />
    public async Task<StreamRead?> ReadStreamAsync(
        string endpoint, string jobId, CancellationToken cancellationToken = default)
    {
        var r = (RedisResult[])(await EvalAsync(ScriptLibrary.StreamRead, endpoint, [jobId]).ConfigureAwait(false))!;
        await DurableAsync(cancellationToken).ConfigureAwait(false);
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
        string endpoint, string workerId, IReadOnlyList<string> jobIds, long nowMs, long leaseMs,
        CancellationToken cancellationToken = default)
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
        return new HeartbeatResult(renewed, StopOrders(r, 1 + renewedCount));
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<StopOrder>> TakeStopSignalsAsync(
        string endpoint, string workerId, CancellationToken cancellationToken = default) =>
        StopOrders((RedisResult[])(await EvalAsync(ScriptLibrary.StopSignals, endpoint, [workerId])
            .ConfigureAwait(false))!, 0);

    private static StopOrder[] StopOrders(RedisResult[] r, int from)
    {
        var orders = new StopOrder[(r.Length - from) / 2];
        for (var i = 0; i < orders.Length; i++)
        {
            orders[i] = new StopOrder((string)r[from + 2 * i]!, (int)(ToLong(r[from + 2 * i + 1]) ?? 0));
        }

        return orders;
    }

    private static string[] ToStrings(RedisResult r) => [.. ((RedisResult[])r!).Select(x => (string)x!)];

    private static long? ToLong(RedisResult r) =>
        r.IsNull || (string?)r is not { Length: > 0 } text ? null : long.Parse(text, CultureInfo.InvariantCulture);
}

using Hearth.Store.Jobs;
using Hearth.Store.Scripts;
using StackExchange.Redis;

namespace Hearth.Store;

public sealed partial class RedisHearthStore
{
    /// <inheritdoc />
    public async Task<JobSnapshot?> GetAsync(
        string endpoint, string jobId, CancellationToken cancellationToken = default)
    {
        var r = (RedisResult[])(await EvalAsync(ScriptLibrary.Get, endpoint, [jobId]).ConfigureAwait(false))!;
        await DurableAsync(cancellationToken).ConfigureAwait(false);
        if (r.Length == 0)
        {
            return null;
        }

        return new JobSnapshot(
            Id: jobId,
            Status: (string)r[0]!,
            WorkerId: (string?)r[1],
            DelayTimeMs: ToLong(r[2]),
            ExecutionTimeMs: ToLong(r[3]),
            OutputJson: (string?)r[4],
            Error: (string?)r[5],
            Reason: (string?)r[6],
            Attempt: (int)(ToLong(r[7]) ?? 0),
            WorkerLost: (int)(ToLong(r[8]) ?? 0),
            SubmittedMs: ToLong(r[9]) ?? 0,
            Webhook: (string?)r[10])
        {
            TraceContext = r.Length > 11 ? (string?)r[11] : null,
            ExecutionTimeoutMs = r.Length > 12 ? ToLong(r[12]) : null,
            SessionId = r.Length > 13 && (string?)r[13] is { Length: > 0 } session && !session.StartsWith("job:",
                StringComparison.Ordinal) ? session : null,
            SpansJson = r.Length > 14 ? (string?)r[14] : null,
        };
    }

    /// <inheritdoc />
    public Task<TransitionResult> CancelAsync(
        string endpoint, string jobId, long nowMs, CancellationToken cancellationToken = default) =>
        TransitionAsync(ScriptLibrary.Cancel, endpoint, jobId, nowMs, cancellationToken);

    /// <inheritdoc />
    public Task<TransitionResult> RetryAsync(
        string endpoint, string jobId, long nowMs, CancellationToken cancellationToken = default) =>
        TransitionAsync(ScriptLibrary.Retry, endpoint, jobId, nowMs, cancellationToken);

    private async Task<TransitionResult> TransitionAsync(
        EndpointScript script, string endpoint, string jobId, long nowMs, CancellationToken cancellationToken)
    {
        var r = (RedisResult[])(await EvalAsync(script, endpoint, [jobId, Ms(nowMs)]).ConfigureAwait(false))!;
        await DurableAsync(cancellationToken).ConfigureAwait(false);
        return (long)r[0] switch
        {
            0 => new TransitionResult(false, false, null),
            1 => new TransitionResult(true, true, (string?)r[1]),
            _ => new TransitionResult(true, false, (string?)r[1]),
        };
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<string>> PurgeQueueAsync(
        string endpoint, long nowMs, CancellationToken cancellationToken = default)
    {
        // In chunks, so a deep queue never holds the store in one long script: up to as many entries as the queues
        // held when the purge began (jobs submitted meanwhile are behind those and stay).
        var purged = new List<string>();
        long taken = 0;
        long? present = null;
        while (true)
        {
            var r = (RedisResult[])(await EvalAsync(ScriptLibrary.Purge, endpoint, [Ms(nowMs), PurgeChunk])
                .ConfigureAwait(false))!;
            purged.AddRange(ToStrings(r[0]));
            taken += (long)r[1];
            present ??= (long)r[2];
            if ((long)r[1] < PurgeChunk || taken >= present)
            {
                break;
            }
        }

        await DurableAsync(cancellationToken).ConfigureAwait(false);
        return purged;
    }

    /// <summary>Queue entries one purge script takes.</summary>
    private const int PurgeChunk = 1000;

    /// <inheritdoc />
    public async Task<SweepResult> SweepAsync(
        string endpoint, long nowMs, SweepLimits limits, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(limits);
        var r = (RedisResult[])(await EvalAsync(ScriptLibrary.Sweep, endpoint,
            [Ms(nowMs), limits.MaxWorkerLost, limits.Batch]).ConfigureAwait(false))!;
        return new SweepResult(ToStrings(r[0]), ToStrings(r[1]), ToStrings(r[2]), ToStrings(r[3]))
        {
            Expired = ToStrings(r[4]),
        };
    }

    /// <inheritdoc />
    public async Task<SweepResult> LoseWorkerAsync(
        string endpoint, string workerId, long nowMs, int maxWorkerLost, string how,
        CancellationToken cancellationToken = default)
    {
        var r = (RedisResult[])(await EvalAsync(ScriptLibrary.WorkerLost, endpoint,
            [workerId, Ms(nowMs), maxWorkerLost, how]).ConfigureAwait(false))!;
        return new SweepResult(ToStrings(r[0]), ToStrings(r[1]), [], []);
    }

    /// <inheritdoc />
    public async Task<EndpointCounters> CountAsync(
        string endpoint, long nowMs, long workerSeenWithinMs, CancellationToken cancellationToken = default)
    {
        var r = (RedisResult[])(await EvalAsync(ScriptLibrary.Count, endpoint,
            [Ms(nowMs), Ms(workerSeenWithinMs)]).ConfigureAwait(false))!;
        return new EndpointCounters((long)r[0], (long)r[1], (long)r[2], (long)r[3], (long)r[4], (long)r[5], (long)r[6]);
    }

    /// <inheritdoc />
    public async Task<EndpointView> ViewAsync(string endpoint, CancellationToken cancellationToken = default)
    {
        var r = (RedisResult[])(await EvalAsync(ScriptLibrary.View, endpoint, []).ConfigureAwait(false))!;
        var lastSeen = Pairs((RedisResult[])r[4]!);

        var holding = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var holder in (RedisResult[])r[5]!)
        {
            var w = (string)holder!;
            holding[w] = holding.GetValueOrDefault(w) + 1;
        }

        var stuck = (RedisResult[])r[7]!;
        var runaways = new List<RunawayJob>();
        for (var i = 0; i + 3 < stuck.Length; i += 4)
        {
            runaways.Add(new RunawayJob((string)stuck[i]!, (string)stuck[i + 1]!, ToLong(stuck[i + 2]) ?? 0,
                ToLong(stuck[i + 3]) ?? 0));
        }

        return new EndpointView(
            (long)r[0], (long)r[1], ToLong(r[2]), (long)r[3], lastSeen, holding, Pairs((RedisResult[])r[6]!), runaways);
    }

    private static Dictionary<string, long> Pairs(RedisResult[] flat)
    {
        var pairs = new Dictionary<string, long>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < flat.Length; i += 2)
        {
            pairs[(string)flat[i]!] = (long)flat[i + 1];
        }

        return pairs;
    }

    /// <inheritdoc />
    public async Task<StepWrite> PutStepAsync(
        string endpoint, string jobId, string workerId, string stepKey, string valueJson, long nowMs,
        CancellationToken cancellationToken = default)
    {
        _admit?.Invoke();
        var r = (long)await EvalAsync(ScriptLibrary.StepPut, endpoint,
            [jobId, workerId, stepKey, valueJson, nowMs, Growth.MaxJournalEntries]).ConfigureAwait(false);
        await DurableAsync(cancellationToken).ConfigureAwait(false);
        return r switch
        {
            1 => StepWrite.Written,
            2 => StepWrite.AlreadyJournaled,
            0 => StepWrite.NotFound,
            -2 => StepWrite.LimitReached,
            _ => StepWrite.NotHolder,
        };
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<KeyValuePair<string, string>>?> GetStepsAsync(
        string endpoint, string jobId, string workerId, CancellationToken cancellationToken = default)
    {
        var r = (RedisResult[])(await EvalAsync(ScriptLibrary.StepGet, endpoint, [jobId, workerId])
            .ConfigureAwait(false))!;
        if ((long)r[0] != 1)
        {
            return null;
        }

        var steps = new List<KeyValuePair<string, string>>();
        for (var i = 1; i + 1 < r.Length; i += 2)
        {
            steps.Add(new((string)r[i]!, (string)r[i + 1]!));
        }

        return steps;
    }

    /// <inheritdoc />
    public async Task<long> TryLeadAsync(
        string role, string owner, TimeSpan lease, CancellationToken cancellationToken = default)
    {
        RedisKey[] keys = [$"hearth:{{hearth}}:leader:{role}", $"hearth:{{hearth}}:epoch:{role}"];
        var r = await _db.ScriptEvaluateAsync(ScriptLibrary.Leader, keys, [owner, (long)lease.TotalMilliseconds])
            .ConfigureAwait(false);
        return (long)r;
    }

    /// <inheritdoc />
    public Task RetireWorkerAsync(
        string endpoint, string workerId, long nowMs, CancellationToken cancellationToken = default) =>
        EvalAsync(ScriptLibrary.Retire, endpoint, [workerId, nowMs]);

    /// <inheritdoc />
    public async Task<IReadOnlyList<WebhookClaim>> ClaimWebhooksAsync(
        string endpoint, long nowMs, int max, TimeSpan claim, CancellationToken cancellationToken = default)
    {
        var r = (RedisResult[])(await EvalAsync(ScriptLibrary.HookClaim, endpoint,
            [nowMs, max, (long)claim.TotalMilliseconds]).ConfigureAwait(false))!;
        var claims = new WebhookClaim[r.Length / 3];
        for (var i = 0; i < claims.Length; i++)
        {
            claims[i] = new WebhookClaim((string)r[3 * i]!, (string)r[3 * i + 1]!, (int)(ToLong(r[3 * i + 2]) ?? 0));
        }

        return claims;
    }

    /// <inheritdoc />
    public Task SettleWebhookAsync(
        string endpoint, string jobId, long? retryAtMs, int attempts, CancellationToken cancellationToken = default) =>
        EvalAsync(ScriptLibrary.HookSettle, endpoint, [jobId, retryAtMs ?? 0, attempts]);
}

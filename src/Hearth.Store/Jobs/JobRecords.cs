namespace Hearth.Store.Jobs;

/// <summary>A job as written at submit.</summary>
/// <param name="Id">Opaque job id.</param>
/// <param name="PayloadJson">The JSON object handed to the worker (<c>id</c>, <c>input</c>, passthrough
/// fields).</param>
/// <param name="SubmittedMs">Submission time.</param>
/// <param name="TtlMs">Lifetime from submission; the job is deleted when it runs out.</param>
/// <param name="ExecutionTimeoutMs">Longest run once a worker took it.</param>
/// <param name="RetentionMs">How long its result stays readable after the final state.</param>
/// <param name="LowPriority">Queued behind normal jobs and never a reason to scale up.</param>
/// <param name="Webhook">URL to notify of the final state, or null.</param>
/// <param name="SessionId">The session whose journal its steps share; null means the job's own (<c>job:{id}</c>),
/// which survives retries and requeues.</param>
/// <param name="SessionIdleMs">How long a named session may sit idle before its journal, state and binding
/// expire.</param>
/// <param name="Idempotency">The submit's <c>Idempotency-Key</c>, when the client sent one.</param>
public sealed record NewJob(
    string Id, string PayloadJson, long SubmittedMs, long TtlMs, long ExecutionTimeoutMs, long RetentionMs,
    bool LowPriority, string? Webhook, string? SessionId = null,
    long SessionIdleMs = SessionLimits.DefaultIdleMs, IdempotencyClaim? Idempotency = null)
{
    /// <summary>The job span's W3C context, <c>traceId spanId parentSpanId</c> (parent empty for a root); null when
    /// untraced.</summary>
    public string? TraceContext { get; init; }
}

/// <summary>An <c>Idempotency-Key</c>: the same key with the same body within <paramref name="TtlMs"/> returns the
/// first job.</summary>
/// <param name="Key">The key, scoped to the caller (e.g. a hash of its credential, then the header's value).</param>
/// <param name="BodyHash">A hash of the request body.</param>
/// <param name="TtlMs">How long the key is remembered. Default 24 h.</param>
public sealed record IdempotencyClaim(string Key, string BodyHash, long TtlMs = 86_400_000);

/// <summary>What a submit did.</summary>
public enum SubmitOutcome
{
    /// <summary>A new job was queued.</summary>
    Created,

    /// <summary>The job id already exists (a collision); nothing was written.</summary>
    DuplicateId,

    /// <summary>The idempotency key was seen with the same body: the earlier job is returned, nothing was
    /// written.</summary>
    Replayed,

    /// <summary>The idempotency key was seen with another body: refused, nothing was written.</summary>
    KeyReused,
}

/// <summary>The outcome of a submit, and the job it refers to (the new one, or the earlier one for the same
/// key).</summary>
/// <param name="Outcome">What happened.</param>
/// <param name="JobId">The job.</param>
public sealed record SubmitResult(SubmitOutcome Outcome, string JobId);

/// <summary>A job leased to a worker.</summary>
/// <param name="Id">Job id.</param>
/// <param name="PayloadJson">The JSON object to hand to the worker.</param>
/// <param name="Attempt">1 for the first grant; grows with every grant (the fencing token).</param>
public sealed record TakenJob(string Id, string PayloadJson, int Attempt);

/// <summary>The jobs one take granted.</summary>
public sealed class TakenJobs : List<TakenJob>
{
    /// <summary>True when the take set a job aside for another worker (its session's); that worker should be
    /// woken.</summary>
    public bool ParkedAny { get; init; }
}

/// <summary>A final result reported by a worker.</summary>
/// <param name="JobId">Job id.</param>
/// <param name="WorkerId">The reporting worker.</param>
/// <param name="Attempt">The attempt the worker holds, when it knows it (Hearth SDK); null for Runpod workers.</param>
/// <param name="NowMs">Time of the report.</param>
/// <param name="Failed">True when the handler reported an error.</param>
/// <param name="OutputJson">Raw JSON output, or null.</param>
/// <param name="Error">Error text, or null.</param>
public sealed record JobCompletion(
    string JobId, string WorkerId, int? Attempt, long NowMs, bool Failed, string? OutputJson, string? Error)
{
    /// <summary>The worker's spans of the job sent with its result (a JSON array), kept with the job; or
    /// null.</summary>
    public string? SpansJson { get; init; }
}

/// <summary>Outcome of an operation that only the lease holder may perform.</summary>
public enum HolderCheck
{
    /// <summary>Accepted.</summary>
    Accepted,

    /// <summary>No such job.</summary>
    NotFound,

    /// <summary>The caller does not hold the job's lease (or the job is final); nothing changed.</summary>
    NotHolder,

    /// <summary>The job already has <see cref="GrowthLimits.MaxStreamChunks"/> stream chunks; nothing was
    /// appended.</summary>
    LimitReached,
}

/// <summary>What <see cref="ILeaseStore.CompleteAllAsync"/> did: each result's outcome, in order, and the jobs it then
/// leased to the worker.</summary>
/// <param name="Results">One outcome per completion.</param>
/// <param name="Taken">The jobs taken after the results (empty when none were asked for or none was queued).</param>
public sealed record CompletedAndTaken(IReadOnlyList<CompleteResult> Results, TakenJobs Taken);

/// <summary>Outcome of <see cref="ILeaseStore.CompleteAsync"/>.</summary>
/// <param name="Check">Whether the completion was accepted.</param>
/// <param name="Status">The job's status after the call.</param>
/// <param name="ExecutionTimeMs">Run time, when accepted.</param>
public sealed record CompleteResult(HolderCheck Check, string? Status, long ExecutionTimeMs)
{
    /// <summary>
    /// When accepted: the finished job's status, worker, timings, attempt and trace context — what its trace and
    /// metrics need — without its output or error (read the job for those). Null when not accepted, or from a store
    /// that does not return it.
    /// </summary>
    public JobSnapshot? Final { get; init; }
}

/// <summary>Outcome of cancel or retry.</summary>
/// <param name="Found">False when the job does not exist.</param>
/// <param name="Changed">True when the call changed the job.</param>
/// <param name="Status">The job's status after the call.</param>
public sealed record TransitionResult(bool Found, bool Changed, string? Status);

/// <summary>Result of a heartbeat.</summary>
/// <param name="Renewed">Ids whose leases were renewed.</param>
/// <param name="ToStop">Jobs the worker reported but no longer holds: it must stop them.</param>
public sealed record HeartbeatResult(IReadOnlyList<string> Renewed, IReadOnlyList<StopOrder> ToStop);

/// <summary>An order to stop a job: its id and the attempt (grant) it stops, 0 when the job is gone. A worker running
/// a newer grant of the same job ignores it.</summary>
/// <param name="JobId">The job.</param>
/// <param name="Attempt">The grant being stopped.</param>
public sealed record StopOrder(string JobId, int Attempt);

/// <summary>New stream chunks for a job.</summary>
/// <param name="Status">The job's status.</param>
/// <param name="DelayTimeMs">Queue time, when taken.</param>
/// <param name="Chunks">Raw JSON chunks not delivered before, in order.</param>
public sealed record StreamRead(string Status, long? DelayTimeMs, IReadOnlyList<string> Chunks);

/// <summary>Everything the API shows about a job.</summary>
public sealed record JobSnapshot(
    string Id,
    string Status,
    string? WorkerId,
    long? DelayTimeMs,
    long? ExecutionTimeMs,
    string? OutputJson,
    string? Error,
    string? Reason,
    int Attempt,
    int WorkerLost,
    long SubmittedMs,
    string? Webhook)
{
    /// <summary>The job span's W3C context, <c>traceId spanId parentSpanId</c>, or null when the job was submitted
    /// untraced.</summary>
    public string? TraceContext { get; init; }

    /// <summary>The job's execution timeout (ms), when known.</summary>
    public long? ExecutionTimeoutMs { get; init; }

    /// <summary>The named session the job belongs to, when read with the job (null for a job's own journal).</summary>
    public string? SessionId { get; init; }

    /// <summary>The worker's spans sent with the job's result (a JSON array), when read with the job; or
    /// null.</summary>
    public string? SpansJson { get; init; }
}

/// <summary>Caps applied by one sweep.</summary>
/// <param name="MaxWorkerLost">Requeues after a lost worker before the job is FAILED with
/// <c>worker_lost_limit</c>.</param>
/// <param name="Batch">Most jobs handled per deadline kind in one sweep.</param>
public sealed record SweepLimits(int MaxWorkerLost, int Batch);

/// <summary>What a sweep did.</summary>
/// <param name="Requeued">Jobs whose lease expired and went back to the queue.</param>
/// <param name="Finalized">Jobs the sweep put in a final state (lost too often, timed out).</param>
/// <param name="Deleted">Jobs removed by TTL or retention.</param>
/// <param name="ExpiredSessions">Named sessions idle past their timeout, whose journal, state and binding were
/// deleted.</param>
public sealed record SweepResult(IReadOnlyList<string> Requeued, IReadOnlyList<string> Finalized,
    IReadOnlyList<string> Deleted, IReadOnlyList<string> ExpiredSessions)
{
    /// <summary>
    /// Among <see cref="Deleted"/>, the jobs TTL removed before they reached a final state (queued or running): they
    /// end
    /// here, with no final status. Default: none.
    /// </summary>
    public IReadOnlyList<string> Expired { get; init; } = [];

    /// <summary>True when the sweep changed nothing.</summary>
    public bool IsEmpty =>
        Requeued.Count == 0 && Finalized.Count == 0 && Deleted.Count == 0 && ExpiredSessions.Count == 0;
}

/// <summary>Counters for <c>/health</c> (spec §1.5): five job counters and the worker view.</summary>
public sealed record EndpointCounters(
    long InQueue, long InProgress, long Completed, long Failed, long Retried, long WorkersIdle, long WorkersRunning);

/// <summary>An endpoint as the scheduler sees it.</summary>
/// <param name="InQueue">Normal-priority jobs waiting.</param>
/// <param name="InQueueLowPriority">lowPriority jobs waiting.</param>
/// <param name="OldestSubmittedMs">Submission time of the oldest normal-priority job waiting, or null.</param>
/// <param name="InProgress">Jobs leased to workers.</param>
/// <param name="LastSeenMs">Every worker the endpoint has seen recently, with its last take or heartbeat time.</param>
/// <param name="Holding">How many jobs each worker holds (absent: none).</param>
/// <param name="Finished">How many jobs each worker finished (absent: none).</param>
/// <param name="Runaways">Jobs whose worker was told to stop them (timeout, cancel) and still reports running
/// them.</param>
public sealed record EndpointView(
    long InQueue, long InQueueLowPriority, long? OldestSubmittedMs, long InProgress,
    IReadOnlyDictionary<string, long> LastSeenMs, IReadOnlyDictionary<string, int> Holding,
    IReadOnlyDictionary<string, long> Finished,
    IReadOnlyList<RunawayJob> Runaways);

/// <summary>A job its worker keeps running after being told to stop.</summary>
/// <param name="JobId">The job.</param>
/// <param name="WorkerId">The worker still running it.</param>
/// <param name="StopIssuedMs">When its worker was told to stop it: the first heartbeat answer that listed it (a
/// worker paused or cut off across the stop order hears it only then), else the stop order.</param>
/// <param name="LastReportedMs">When its worker last reported it since: a worker heard from no more (frozen, cut
/// off) is no proven runaway, and its lease decides.</param>
public sealed record RunawayJob(string JobId, string WorkerId, long StopIssuedMs, long LastReportedMs);

/// <summary>A webhook delivery claimed from the store's outbox (see <see
/// cref="IEndpointStore.ClaimWebhooksAsync"/>).</summary>
/// <param name="JobId">The job whose final state it announces.</param>
/// <param name="Url">Where to POST it.</param>
/// <param name="Attempts">Delivery attempts made for this final state so far.</param>
public sealed record WebhookClaim(string JobId, string Url, int Attempts);

/// <summary>Outcome of journaling a step.</summary>
public enum StepWrite
{
    /// <summary>Journaled.</summary>
    Written,

    /// <summary>Already journaled by an earlier attempt; the first result stands.</summary>
    AlreadyJournaled,

    /// <summary>No such job.</summary>
    NotFound,

    /// <summary>The caller does not hold the job's lease; nothing was written.</summary>
    NotHolder,

    /// <summary>The session already journals <see cref="GrowthLimits.MaxJournalEntries"/> steps; nothing was
    /// written.</summary>
    LimitReached,
}

/// <summary>How far what a job writes may grow: its stream and its session's journal. A write past a limit is refused
/// and changes nothing.</summary>
/// <param name="MaxStreamChunks">Stream chunks one job may append. Default 10,000.</param>
/// <param name="MaxJournalEntries">Steps one session may journal. Default 10,000.</param>
/// <param name="MaxStateBytes">Bytes of all the values of one session's state together. Default 64 MiB.</param>
public sealed record GrowthLimits(
    int MaxStreamChunks = 10_000, int MaxJournalEntries = 10_000, long MaxStateBytes = 64L * 1024 * 1024);

/// <summary>Limits on agent sessions.</summary>
public static class SessionLimits
{
    /// <summary>The prefix of a job's own session (<c>job:&lt;id&gt;</c>), which no client-chosen session id may
    /// use.</summary>
    public const string OwnPrefix = "job:";

    /// <summary>Shortest session idle timeout, and the default when the endpoint's idle timeout × 2 is shorter: 30
    /// min.</summary>
    public const long DefaultIdleMs = 30 * 60 * 1000;

    /// <summary>Largest journaled step result or session state value: 10 MB (a checkpoint).</summary>
    public const int MaxValueBytes = 10 * 1024 * 1024;

    /// <summary>Most keys in one session's state.</summary>
    public const int MaxStateKeys = 1000;
}

/// <summary>Outcome of writing session state.</summary>
public enum StateWrite
{
    /// <summary>Written (or deleted).</summary>
    Written,

    /// <summary>No such job.</summary>
    NotFound,

    /// <summary>The caller does not hold the job's lease; nothing was written.</summary>
    NotHolder,

    /// <summary>The session already holds <see cref="SessionLimits.MaxStateKeys"/> keys.</summary>
    TooManyKeys,

    /// <summary>The session's values would pass <see cref="GrowthLimits.MaxStateBytes"/> in all; nothing was
    /// written.</summary>
    TooLarge,
}

/// <summary>A value read from session state.</summary>
/// <param name="Found">False when the caller does not hold the job (or it does not exist).</param>
/// <param name="ValueJson">The value, or null when the key is unset.</param>
public sealed record StateRead(bool Found, string? ValueJson);

/// <summary>A named session as the admin API lists it.</summary>
/// <param name="Id">The session id.</param>
/// <param name="Worker">The worker it is bound to, or null when unbound.</param>
/// <param name="LastActiveMs">Last submit, take, heartbeat, step, state write or result of one of its jobs.</param>
/// <param name="ExpiresMs">When it expires unless something happens first.</param>
/// <param name="Steps">Journaled steps.</param>
/// <param name="StateKeys">Keys in its state.</param>
public sealed record SessionSummary(
    string Id, string? Worker, long LastActiveMs, long ExpiresMs, int Steps, int StateKeys);

/// <summary>One session in detail.</summary>
/// <param name="Summary">The summary.</param>
/// <param name="IdleMs">Its idle timeout.</param>
/// <param name="Steps">Journaled steps in write order.</param>
/// <param name="State">Its state values.</param>
public sealed record SessionDetail(
    SessionSummary Summary, long IdleMs, IReadOnlyList<JournaledStep> Steps, IReadOnlyList<StateValue> State);

/// <summary>A journaled step.</summary>
/// <param name="Key">Step key (<c>decompose</c>, <c>web-retrieval[2]</c>).</param>
/// <param name="JobId">The job that journaled it.</param>
/// <param name="AtMs">When.</param>
/// <param name="Bytes">Size of its result JSON.</param>
/// <param name="Preview">The start of its result JSON.</param>
public sealed record JournaledStep(string Key, string JobId, long AtMs, long Bytes, string Preview);

/// <summary>A session state value.</summary>
/// <param name="Key">Its key.</param>
/// <param name="Bytes">Size of its JSON.</param>
/// <param name="Preview">The start of its JSON.</param>
public sealed record StateValue(string Key, long Bytes, string Preview);

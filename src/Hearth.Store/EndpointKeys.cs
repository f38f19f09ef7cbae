using StackExchange.Redis;

namespace Hearth.Store;

/// <summary>
/// The keys of one endpoint. Every script receives those it names in <c>KEYS</c> (see <c>EndpointScript</c>), so no
/// script ever builds a key (Redis Cluster needs that), and all share the hash tag <c>{endpoint}</c> so they live in one slot.
/// Small per-job fields live in fields of these per-endpoint hashes. Values that can be large (payloads, outputs,
/// stream chunks, journaled steps, session state) live in keys of their own, <c>prefix:item</c> under the prefix key
/// that names them (<c>hearth:{ep}:req:&lt;id&gt;</c>): a store larger than memory moves such records to disk one by
/// one, while a hash holding every job's payload would be one record, written out whole each time it leaves memory.
/// A script touches such a key only while it declares the prefix, so Garnet's per-key locks still serialize it.
/// </summary>
internal static class EndpointKeys
{
    /// <summary>Short names, used as Lua locals and as key suffixes (<c>hearth:{ep}:name</c>).</summary>
    public static readonly string[] Names =
    [
        "q",       // list: normal-priority queue
        "ql",      // list: lowPriority queue
        "st",      // hash id -> status
        "req",     // prefix: req:<id> -> payload JSON handed to the worker (its first piece; req:<id>:<n> the others)
        "rqn",     // hash id -> how many pieces its payload is kept in, when more than one
        "sub",     // hash id -> submitted at (ms)
        "exe",     // hash id -> execution timeout (ms)
        "ret",     // hash id -> result retention (ms)
        "low",     // hash id -> '1' when lowPriority
        "hook",    // hash id -> webhook URL
        "att",     // hash id -> attempts granted (fencing token)
        "lost",    // hash id -> times its worker was lost
        "hold",    // hash id -> worker holding the lease
        "wid",     // hash id -> worker that ran it last
        "start",   // hash id -> taken at (ms)
        "delay",   // hash id -> delayTime (ms)
        "exec",    // hash id -> executionTime (ms)
        "out",     // prefix: out:<id> -> output JSON
        "err",     // hash id -> error text
        "why",     // hash id -> machine-readable reason of a platform decision
        "sc",      // hash id -> stream chunk count
        "sd",      // hash id -> stream chunks delivered
        "sk",      // prefix: sk:<id>:<n> -> stream chunk JSON
        "leases",  // zset id -> lease deadline (ms)
        "dead",    // zset id -> execution deadline (ms)
        "ttlz",    // zset id -> TTL deadline (ms)
        "keep",    // zset id -> retention deadline (ms)
        "stops",   // hash id -> worker that must stop it
        "stats",   // hash status -> count; Q, QL -> live ids in q, ql (the lists also hold tombstones)
        "wk",      // hash worker -> last seen (ms)
        "retired", // hash worker -> '1' when retired (stopPod)
        "outbox",  // list: job ids with a webhook to deliver
        "wdone",   // hash worker -> jobs it finished
        "stopat",  // hash id -> when the platform told its worker to stop it (timeout, cancel)
        "stuck",   // hash id -> worker that still reports it after being told to stop
        "sess",    // hash id -> session (its session_id, or job:<id>): the journal its steps use
        "journal", // prefix: journal:<session>\n<step> -> journaled step result JSON
        "jidx",    // hash session -> its step keys, newline-separated, in write order
        "stouch",  // hash session -> last activity (ms): submit, take, heartbeat, step, state write, result
        "sbind",   // hash session -> worker it is bound to (affinity)
        "parked",  // zset id -> submitted (ms): queued jobs set aside for their session's bound worker
        "pbyw",    // zset (all scored 0) 'worker\tsubmitted\tid': the parked jobs by the worker they wait for
        "pmem",    // hash id -> its pbyw member
        "sidle",   // hash session -> idle timeout (ms) after which a named session expires
        "sexp",    // zset session -> expiry deadline (ms): last activity + idle timeout
        "jmeta",   // hash 'session\nstep' -> 'job\tat(ms)': which job journaled a step, and when
        "sstate",  // prefix: sstate:<session>\n<key> -> session state value JSON (ctx.Session)
        "skeys",   // hash session -> its state keys, newline-separated
        "idem",    // hash 'scope\nkey' -> 'job\tbody hash': Idempotency-Key of a submit
        "idemz",   // zset 'scope\nkey' -> when the key may be reused (ms)
        "recent",  // zset id -> submitted (ms): the newest jobs, capped at submit (dashboard, GET /api/jobs)
        "trace",   // hash id -> 'traceId spanId parentSpanId' of its job span (W3C ids; parent empty for a root)
        "diag",    // hash id -> what was open at its execution deadline, noted just before the sweep times it out
    ];

    /// <summary>The key <paramref name="name"/> of <paramref name="endpoint"/>: <c>hearth:{endpoint}:name</c>.</summary>
    public static RedisKey Key(string endpoint, string name) => $"hearth:{{{endpoint}}}:{name}";
}

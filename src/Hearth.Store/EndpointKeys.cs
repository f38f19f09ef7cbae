using StackExchange.Redis;

namespace Hearth.Store;

/// <summary>
/// The keys of one endpoint. Every script receives those it names in <c>KEYS</c> (see <c>EndpointScript</c>), so no
/// script ever builds a key (Redis Cluster needs that), and all share the hash tag <c>{endpoint}</c> so they live in
/// one slot.
/// Per-job records live in keys of their own, <c>prefix:item</c> under the prefix key that names them: a job's small
/// fields in one hash (<c>hearth:{ep}:job:&lt;id&gt;</c>, <see cref="JobFields"/>), its payload, output and stream
/// chunks, journaled steps and session state each in a string. A store larger than memory moves such records to disk
/// one by one, while a hash holding a field of every job would be one record, kept in memory and written out whole.
/// The queues are chains of short lists and the TTL and retention deadlines zsets per second, so no record grows with
/// the queue either. The per-endpoint hashes and sets left hold workers, sessions or jobs in progress. A script
/// touches a prefixed key only while it declares the prefix, so Garnet's per-key locks still serialize it.
/// </summary>
internal static class EndpointKeys
{
    /// <summary>Short names, used as Lua locals and as key suffixes (<c>hearth:{ep}:name</c>).</summary>
    public static readonly string[] Names =
    [
        "job",     // prefix: job:<id> -> hash of the job's small fields (JobFields)
        "q",       // prefix: q:<n> -> list, segment n of the normal-priority queue (stats QH, QT: head and tail)
        "ql",      // prefix: ql:<n> -> list, segment n of the lowPriority queue (stats QLH, QLT)
        "req",     // prefix: req:<id> -> payload JSON handed to the worker (its first piece; req:<id>:<n> the others)
        "hold",    // hash id -> worker holding the lease (jobs in progress only)
        "out",     // prefix: out:<id> -> output JSON
        "sk",      // prefix: sk:<id>:<n> -> stream chunk JSON
        "leases",  // zset id -> lease deadline (ms)
        "dead",    // zset id -> execution deadline (ms)
        "ttl",     // zset second -> second: the seconds with a TTL deadline; ttl:<second> zset id -> deadline (ms)
        "kept",    // zset second -> second: the seconds with a retention deadline; kept:<second> zset id -> deadline
        "stops",   // hash id -> worker that must stop it
        "stats",   // hash status -> count; Q, QL -> live ids in q, ql (which also hold tombstones); QH, QT, QLH, QLT
        "wk",      // hash worker -> last seen (ms)
        "retired", // hash worker -> '1' when retired (stopPod)
        "outbox",  // list: job ids whose final state has a webhook to deliver, not yet claimed
        "hooks",   // zset id -> when its webhook delivery is due again (ms): claimed, or waiting to retry
        "wdone",   // hash worker -> jobs it finished
        "stuck",   // hash id -> worker that still reports it after being told to stop
        "journal", // prefix: journal:<session>\n<step> -> journaled step result JSON
        "jidx",    // hash session -> its step keys, newline-separated, in write order
        "stouch",  // hash session -> last activity (ms): submit, take, heartbeat, step, state write, result
        "sbind",   // hash session -> worker it is bound to (affinity)
        "parked",  // zset id -> submitted (ms): queued jobs set aside for their session's bound worker
        "pbyw",    // zset (all scored 0) 'worker\tsubmitted\tid': the parked jobs by the worker they wait for
        "sidle",   // hash session -> idle timeout (ms) after which a named session expires
        "sexp",    // zset session -> expiry deadline (ms): last activity + idle timeout
        "jmeta",   // hash 'session\nstep' -> 'job\tat(ms)': which job journaled a step, and when
        "sstate",  // prefix: sstate:<session>\n<key> -> session state value JSON (ctx.Session)
        "skeys",   // hash session -> its state keys, newline-separated
        "idem",    // hash 'scope\nkey' -> 'job\tbody hash': Idempotency-Key of a submit
        "idemz",   // zset 'scope\nkey' -> when the key may be reused (ms)
        "recent",  // zset id -> submitted (ms): the newest jobs, capped at submit (dashboard, GET /api/jobs)
    ];

    /// <summary>
    /// The fields of a job's own hash, <c>job:&lt;id&gt;</c>. One small hash per job, not one hash per field holding
    /// every job: a store larger than memory moves a cold job's hash to disk whole, and a hot hash never grows with the
    /// queue (Garnet keeps an object in memory or on disk whole, and copies it when it changes).
    /// </summary>
    public static readonly string[] JobFields =
    [
        "st",     // status
        "sub",    // submitted at (ms)
        "exe",    // execution timeout (ms)
        "ret",    // result retention (ms)
        "att",    // attempts granted (fencing token)
        "sess",   // session (its session_id, or job:<id>): the journal its steps use
        "ttl",    // TTL deadline (ms): submitted + ttl
        "kept",   // retention deadline (ms), once final
        "rqn",    // how many pieces its payload is kept in, when more than one
        "low",    // '1' when lowPriority
        "hook",   // webhook URL
        "trace",  // 'traceId spanId parentSpanId' of its job span (W3C ids; parent empty for a root)
        "lost",   // times its worker was lost
        "wid",    // worker that ran it last
        "start",  // taken at (ms)
        "delay",  // delayTime (ms)
        "exec",   // executionTime (ms)
        "err",    // error text
        "why",    // machine-readable reason of a platform decision
        "sc",     // stream chunk count
        "sd",     // stream chunks delivered
        "stopat", // when the platform told its worker to stop it (timeout, cancel)
        "diag",   // what was open at its execution deadline, noted just before the sweep times it out
        "pmem",   // its member in pbyw while it is parked for its session's worker
        "hookn",  // webhook delivery attempts made for its final state
        "ack",    // '1' once its worker showed it has the job (a heartbeat listing it, a call as its holder)
        "stuckat", // when its worker first reported it after being told to stop (the runaway grace runs from then)
        "stucklast", // when its worker last reported it after being told to stop
        "spans",  // the worker's spans sent with its result (JSON array, at most 16): its trace reads them from here
    ];

    /// <summary>The key <paramref name="name"/> of <paramref name="endpoint"/>:
    /// <c>hearth:{endpoint}:name</c>.</summary>
    public static RedisKey Key(string endpoint, string name) => $"hearth:{{{endpoint}}}:{name}";
}

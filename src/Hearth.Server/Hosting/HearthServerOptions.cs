using Hearth.Store.Jobs;
using Hearth.Core.Jobs;

namespace Hearth.Server.Hosting;

/// <summary>Settings of the control plane. Every default is stated; <see cref="HearthServerOptionsValidator"/> checks
/// them at start-up.</summary>
public sealed class HearthServerOptions
{
    /// <summary>Endpoints this control plane serves. Default: none (every request answers 404 with the list of known
    /// endpoints).</summary>
    public IList<EndpointOptions> Endpoints { get; } = [];

    /// <summary>Client API keys. In <c>dev</c> one is generated when none is given.</summary>
    public IList<ClientKeyOptions> ClientKeys { get; } = [];

    /// <summary>Worker tokens (what workers send as <c>RUNPOD_AI_API_KEY</c>), each for one endpoint or
    /// <c>*</c>.</summary>
    public IList<WorkerTokenOptions> WorkerTokens { get; } = [];

    /// <summary>Node tokens (what <c>hearth node --token</c> sends); empty (default) turns the node routes
    /// away.</summary>
    public IList<string> NodeTokens { get; } = [];

    /// <summary>How often node agents are told to heartbeat. Default 2 s.</summary>
    public TimeSpan NodeHeartbeatInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>A node whose last heartbeat is older than this is marked lost and its workers replaced elsewhere.
    /// Default 6 s (three heartbeats).</summary>
    public TimeSpan NodeLostAfter { get; set; } = TimeSpan.FromSeconds(6);

    /// <summary>The admin key; null (default) disables the admin API.</summary>
    public string? AdminKey { get; set; }

    /// <summary>
    /// Proxies (IP addresses) whose <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c> headers are believed: the
    /// client address and scheme behind a TLS proxy, so the dashboard's cookie is <c>Secure</c> when the browser used
    /// https. Loopback is always trusted (a proxy on the same host); headers from anyone else are ignored.
    /// </summary>
    public IList<string> TrustedProxies { get; } = [];

    /// <summary>
    /// A key that may only read <c>/metrics</c> (Prometheus sends it as <c>Authorization: Bearer</c>); the admin key
    /// may read it too. Null (default): only the admin key.
    /// </summary>
    public string? MetricsKey { get; set; }

    /// <summary>
    /// Refused credentials (401) from one address within a minute after which that address gets 429 until the minute
    /// is over. Default 30; loopback is never throttled.
    /// </summary>
    public int AuthFailuresPerMinute { get; set; } = 30;

    /// <summary>Rate limits on the client API, per key and endpoint. Default off.</summary>
    public RateLimitOptions RateLimits { get; } = new();

    /// <summary>How long a job-take grants a worker the job before it must heartbeat. Default 30 s.</summary>
    public TimeSpan Lease { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The heartbeat interval workers are told to use (<c>RUNPOD_PING_INTERVAL</c>). Default 10 s; at most a
    /// third of <see cref="Lease"/>.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often the sweeper applies lease expiry, timeouts, TTL and retention. Default 1 s.</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Times a job is requeued after losing its worker before it is FAILED with <c>worker_lost_limit</c>.
    /// Default 2.</summary>
    public int MaxWorkerLost { get; set; } = 2;

    /// <summary>How long job-take and job-stop hold a request open before answering 204. Default 20 s (runpod-python
    /// gives up at 90 s).</summary>
    public TimeSpan LongPoll { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>How long <c>/stream</c> waits for a new chunk before answering with none. Default 1 s.</summary>
    public TimeSpan StreamWait { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Largest <c>batch_size</c> a job-take-batch may ask for. Default 64.</summary>
    public int MaxTakeBatch { get; set; } = 64;

    /// <summary>
    /// This control-plane replica's name in leadership records (the sweeper of each endpoint runs on one replica at a
    /// time). Default: host name and a random suffix.
    /// </summary>
    public string ReplicaId { get; set; } = $"{Environment.MachineName}-{Guid.NewGuid().ToString("N")[..8]}";
}

/// <summary>One endpoint's job settings.</summary>
public sealed class EndpointOptions
{
    /// <summary>Endpoint name: lowercase letters, digits, '-', '_' or '.', at most 64 characters.</summary>
    public string Name { get; set; } = string.Empty;

    /// <summary>Execution timeout for jobs without <c>policy.executionTimeout</c>. Default 600000 ms.</summary>
    public long ExecutionTimeoutMs { get; set; } = JobLimits.DefaultExecutionTimeoutMs;

    /// <summary>TTL for jobs without <c>policy.ttl</c>. Default 86400000 ms (24 h).</summary>
    public long TtlMs { get; set; } = JobLimits.DefaultTtlMs;

    /// <summary>
    /// The longest execution timeout a client may ask for with <c>policy.executionTimeout</c> (a longer one is refused
    /// with 400 naming this limit). Default 604800000 ms (7 days, Runpod's limit).
    /// </summary>
    public long MaxExecutionTimeoutMs { get; set; } = JobLimits.MaxPolicyMs;

    /// <summary>The longest TTL a client may ask for (<c>policy.ttl</c>, <c>?ttl=</c>). Default 604800000 ms (7
    /// days).</summary>
    public long MaxTtlMs { get; set; } = JobLimits.MaxPolicyMs;

    /// <summary>
    /// How long a named session (<c>session_id</c>) may sit idle before its journal, state and worker binding are
    /// deleted. Default 1800000 ms (30 min); <c>hearth dev</c> and <c>serve</c> use the endpoint's idle timeout × 2,
    /// at least 30 min.
    /// </summary>
    public long SessionIdleMs { get; set; } = SessionLimits.DefaultIdleMs;
}

/// <summary>A client API key and the endpoints it may use.</summary>
public sealed class ClientKeyOptions
{
    /// <summary>The key. Kept in memory only as a SHA-256 hash.</summary>
    public string Key { get; set; } = string.Empty;

    /// <summary>Endpoints the key may use; <c>*</c> (default) means all.</summary>
    public IList<string> Endpoints { get; } = ["*"];

    /// <summary>What the key may do on them. Default all (run, read, cancel, purge).</summary>
    public Auth.ClientOperations Operations { get; set; } = Auth.ClientOperations.All;
}

/// <summary>A worker token and the endpoint its workers serve.</summary>
public sealed class WorkerTokenOptions
{
    /// <summary>The token. Kept in memory only as a SHA-256 hash.</summary>
    public string Token { get; set; } = string.Empty;

    /// <summary>The endpoint it may pull from; <c>*</c> (default) means all.</summary>
    public string Endpoint { get; set; } = "*";
}

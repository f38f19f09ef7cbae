using System.Security.Cryptography;
using Hearth.Store;
using Hearth.Store.Jobs;

namespace Hearth.App.Hosting;

/// <summary>Options shared by <c>dev</c> and <c>serve</c>, as parsed from the command line and environment.</summary>
public sealed record AppSettings
{
    /// <summary>Port to listen on; 0 picks a free one. Default 8080.</summary>
    public int Port { get; init; } = 8080;

    /// <summary>Bind address. Default 127.0.0.1: nothing listens beyond loopback unless asked.</summary>
    public string Host { get; init; } = "127.0.0.1";

    /// <summary><c>embedded</c> (default) or <c>redis://host:port</c>.</summary>
    public string Store { get; init; } = StoreOptions.Embedded;

    /// <summary>Durability mode (<c>--durability</c>).</summary>
    public StoreDurability Durability { get; init; } = StoreDurability.FsyncAlways;

    /// <summary>Embedded store data directory. Default <c>.hearth</c>.</summary>
    public string Data { get; init; } = ".hearth";

    /// <summary>Embedded store log memory (<c>--store-memory</c>); null derives it from the machine.</summary>
    public string? StoreMemory { get; init; }

    /// <summary>Embedded store hash index (<c>--store-index</c>); null derives it from the memory.</summary>
    public string? StoreIndex { get; init; }

    /// <summary>Most disk the embedded store may use (<c>--store-max-disk</c>); null keeps only the free-space
    /// floor.</summary>
    public string? StoreMaxDisk { get; init; }

    /// <summary>Path of a hearth.yaml, or null.</summary>
    public string? Config { get; init; }

    /// <summary>Client API key; generated when null.</summary>
    public string? ApiKey { get; init; }

    /// <summary>Admin key; generated when null.</summary>
    public string? AdminKey { get; init; }

    /// <summary>A key that may only read <c>/metrics</c> (for Prometheus); null: only the admin key may.</summary>
    public string? MetricsKey { get; init; }

    /// <summary>A file holding the webhook signing secret; null: configuration (<c>Webhooks:SigningSecret</c>) or
    /// a random one per process.</summary>
    public string? WebhookSecretFile { get; init; }

    /// <summary>A file (created 0600) the secrets this process generates are written to instead of standard output;
    /// null: printed.</summary>
    public string? SecretsFile { get; init; }

    /// <summary>Client API rate limits: <c>runpod</c> (Runpod's base limits per key and endpoint) or <c>off</c>; null:
    /// the mode's default (serve: runpod, dev: off).</summary>
    public string? RateLimits { get; init; }

    /// <summary>Proxies whose forwarded headers are believed, besides loopback (<c>--trusted-proxy</c>).</summary>
    public IReadOnlyList<string> TrustedProxies { get; init; } = [];

    /// <summary>One worker token for every endpoint (scripts, CI); null (default) issues one token per
    /// endpoint.</summary>
    public string? WorkerToken { get; init; }

    /// <summary>The node token <c>hearth node</c> agents authenticate with (<c>serve</c>); generated and printed when
    /// null.</summary>
    public string? NodeToken { get; init; }

    /// <summary>This host's GPUs: <c>auto</c> (default: nvidia-smi) or a declared inventory such as <c>"NVIDIA A100
    /// 80GB PCIe:2"</c>.</summary>
    public string? Gpus { get; init; }

    /// <summary>This host's data center (e.g. <c>US-GA-2</c>); null means none.</summary>
    public string? Datacenter { get; init; }

    /// <summary>Less output: no worker log lines.</summary>
    public bool Quiet { get; init; }

    /// <summary>
    /// The job lease (env <c>HEARTH_LEASE_MS</c>, at least 1000); null keeps the server's 30 s. Shorter leases are for
    /// tests and demos of worker loss; workers on this host heartbeat within a third of it.
    /// </summary>
    public TimeSpan? Lease { get; init; }

    /// <summary>Node heartbeat interval (env <c>HEARTH_NODE_HEARTBEAT_MS</c>, at least 100); null keeps 2 s.</summary>
    public TimeSpan? NodeHeartbeat { get; init; }

    /// <summary>When a silent node is lost (env <c>HEARTH_NODE_LOST_MS</c>, at least 300); null: 3
    /// heartbeats.</summary>
    public TimeSpan? NodeLostAfter { get; init; }

    /// <summary>A file the embedded store appends each checkpoint's start and end to (tests of kills
    /// mid-checkpoint).</summary>
    public string? StoreCheckpointLog { get; init; }

    /// <summary>
    /// How far a job's stream and a session's journal and state may grow (env <c>HEARTH_MAX_STREAM_CHUNKS</c>,
    /// <c>HEARTH_MAX_JOURNAL_ENTRIES</c>, <c>HEARTH_MAX_SESSION_STATE_BYTES</c>; each at least 1).
    /// </summary>
    public GrowthLimits Growth { get; init; } = new();

    /// <summary>The knobs tests and demos set through the environment, read once, here.</summary>
    /// <param name="read">Reads a variable (the process environment in the app).</param>
    /// <returns>These settings with the lease, node timings and checkpoint log filled in.</returns>
    public AppSettings WithEnvironmentKnobs(Func<string, string?> read)
    {
        ArgumentNullException.ThrowIfNull(read);
        static TimeSpan? Ms(string? text, int least) =>
            int.TryParse(text, out var ms) && ms >= least ? TimeSpan.FromMilliseconds(ms) : null;
        static long? Count(string? text) =>
            long.TryParse(text, out var n) && n is >= 1 and <= int.MaxValue ? n : null;
        return this with
        {
            Lease = Ms(read("HEARTH_LEASE_MS"), 1000),
            NodeHeartbeat = Ms(read("HEARTH_NODE_HEARTBEAT_MS"), 100),
            NodeLostAfter = Ms(read("HEARTH_NODE_LOST_MS"), 300),
            Growth = new GrowthLimits(
                Count(read("HEARTH_MAX_STREAM_CHUNKS")) is { } chunks ? (int)chunks : Growth.MaxStreamChunks,
                Count(read("HEARTH_MAX_JOURNAL_ENTRIES")) is { } steps ? (int)steps : Growth.MaxJournalEntries,
                Count(read("HEARTH_MAX_SESSION_STATE_BYTES")) ?? Growth.MaxStateBytes),
            StoreCheckpointLog = read("HEARTH_STORE_CHECKPOINT_LOG"),
        };
    }

    /// <summary>A new random key with a recognisable prefix (so secret scanners can find leaks).</summary>
    public static string NewKey(string prefix) =>
        prefix + Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();
}

using Hearth.Store.Jobs;

namespace Hearth.Store;

/// <summary>Where Hearth keeps its state, and how durably. Validated at start-up.</summary>
public sealed class StoreOptions
{
    /// <summary>The value of <see cref="Store"/> that selects the in-process Garnet store.</summary>
    public const string Embedded = "embedded";

    /// <summary>
    /// <c>embedded</c> (default): Microsoft Garnet started in-process, data under <see cref="DataDirectory"/>.
    /// Or <c>redis://host:port</c> (also <c>rediss://</c>, optional <c>user:password@</c>): an external Redis ≥ 7,
    /// Valkey or Garnet, which must run with <c>maxmemory-policy noeviction</c>.
    /// </summary>
    public string Store { get; set; } = Embedded;

    /// <summary>Directory of the embedded store's checkpoints and append-only file. Default <c>.hearth</c>.</summary>
    public string DataDirectory { get; set; } = ".hearth";

    /// <summary>Loopback port of the embedded store; 0 (default) picks a free one.</summary>
    public int EmbeddedPort { get; set; }

    /// <summary>
    /// Embedded store log memory (<c>--store-memory</c>, Garnet <c>--memory</c>): how much stays hot; what does not fit
    /// is kept on disk in <see cref="DataDirectory"/>, never evicted. Null (default): derived from the machine
    /// (<see cref="Embedded.EmbeddedSizing"/>).
    /// </summary>
    public string? EmbeddedMemory { get; set; }

    /// <summary>Embedded store hash index size (<c>--store-index</c>, Garnet <c>--index</c>). Null (default): derived
    /// from the memory.</summary>
    public string? EmbeddedIndex { get; set; }

    /// <summary>
    /// The most disk the embedded store's data directory may use (<c>--store-max-disk</c>, e.g. <c>20g</c>); past it
    /// new work is refused with 507. Null (default): refused only when the filesystem has under 5 % or 1 GiB free.
    /// </summary>
    public string? MaxDisk { get; set; }

    /// <summary>The embedded store is checkpointed once its append-only file has grown this much (default
    /// <c>128m</c>).</summary>
    public string? CheckpointLog { get; set; }

    /// <summary>The embedded store is checkpointed at least this often while anything is written (default 5
    /// min).</summary>
    public TimeSpan CheckpointInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long an acknowledged write waits for its commit to disk before it is answered 503 (default 5
    /// s).</summary>
    public TimeSpan CommitTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Durability. Default <see cref="StoreDurability.FsyncAlways"/>: a job is acknowledged only after its write is on
    /// disk. The embedded store is started accordingly; an external server is checked at start and refused when its
    /// settings cannot give the mode (docs/durability.md).
    /// </summary>
    public StoreDurability Durability { get; set; } = StoreDurability.FsyncAlways;

    /// <summary>How far a job's stream and a session's journal may grow. Default 10,000 chunks, 10,000
    /// steps.</summary>
    public GrowthLimits Growth { get; set; } = new();

    /// <summary>True when <see cref="Store"/> selects the embedded store.</summary>
    public bool IsEmbedded => string.Equals(Store, Embedded, StringComparison.OrdinalIgnoreCase);
}

/// <summary>Named durability modes, each with its documented loss window (<c>fsync-always</c>, <c>fsync-everysec</c>,
/// <c>memory</c> on the command line).</summary>
public enum StoreDurability
{
    /// <summary>Every write is committed to the append-only file before the client is answered: nothing acknowledged is
    /// lost.</summary>
    FsyncAlways,

    /// <summary>The append-only file is committed about every second: a crash can lose about 1 s of acknowledged
    /// writes.</summary>
    FsyncEverySecond,

    /// <summary>No append-only file: a restart loses everything.</summary>
    Memory,
}

/// <summary>Parses durability names as the command line and environment give them.</summary>
public static class StoreDurabilityNames
{
    /// <summary>The accepted names.</summary>
    public static readonly IReadOnlyList<string> All = ["fsync-always", "fsync-everysec", "memory"];

    /// <summary>The command-line name of <paramref name="durability"/>.</summary>
    public static string Of(StoreDurability durability) => durability switch
    {
        StoreDurability.FsyncAlways => "fsync-always",
        StoreDurability.FsyncEverySecond => "fsync-everysec",
        _ => "memory",
    };

    /// <summary>The mode named <paramref name="name"/>, or null.</summary>
    public static StoreDurability? Parse(string? name) => name?.Trim().ToLowerInvariant() switch
    {
        "fsync-always" or "always" => StoreDurability.FsyncAlways,
        "fsync-everysec" or "everysec" => StoreDurability.FsyncEverySecond,
        "memory" or "none" => StoreDurability.Memory,
        _ => null,
    };
}

using System.Net;
using System.Net.Sockets;

namespace Hearth.Store.Embedded;

/// <summary>The embedded store's settings once defaults are applied: what the <c>store:</c> line and <c>/api/store</c>
/// show.</summary>
/// <param name="Directory">Absolute data directory.</param>
/// <param name="Port">Loopback port.</param>
/// <param name="MemoryBytes">Log memory: what stays hot; the rest is on disk.</param>
/// <param name="IndexBytes">Initial hash-index size.</param>
/// <param name="Durability">Durability mode.</param>
/// <param name="MemoryFromMachine">True when <paramref name="MemoryBytes"/> was derived from the machine, not
/// given.</param>
public sealed record EmbeddedSettings(
    string Directory, int Port, long MemoryBytes, long IndexBytes, StoreDurability Durability, bool MemoryFromMachine)
{
    /// <summary>The most the data directory may hold (<c>--store-max-disk</c>); null: only the filesystem's free-space
    /// floor.</summary>
    public long? MaxDiskBytes { get; init; }

    /// <summary>A checkpoint is taken once the append-only file has grown this much since the last one.</summary>
    public long CheckpointLogBytes { get; init; } = DefaultCheckpointLogBytes;

    private const long DefaultCheckpointLogBytes = 128L << 20;

    /// <summary>A checkpoint is taken at least this often while anything is written.</summary>
    public TimeSpan CheckpointInterval { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>How long an acknowledged write may wait for its commit before it is answered 503.</summary>
    public TimeSpan CommitTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Applies defaults to <paramref name="options"/>; throws a <see cref="StoreConfigurationException"/> for a size it
    /// cannot read.
    /// </summary>
    public static EmbeddedSettings From(StoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var memory = options.EmbeddedMemory is null
            ? EmbeddedSizing.DefaultMemoryBytes(EmbeddedSizing.MachineBytes())
            : Size(options.EmbeddedMemory, "--store-memory", 32L << 20);
        var index = options.EmbeddedIndex is null
            ? EmbeddedSizing.DefaultIndexBytes(memory)
            : Size(options.EmbeddedIndex, "--store-index", 1L << 20);
        var port = options.EmbeddedPort != 0 ? options.EmbeddedPort : FreeLoopbackPort();
        var directory = Path.GetFullPath(options.DataDirectory);
        return new EmbeddedSettings(directory, port, memory, index, options.Durability, options.EmbeddedMemory is null)
        {
            MaxDiskBytes = options.MaxDisk is null ? null : Size(options.MaxDisk, "--store-max-disk", 64L << 20),
            CheckpointLogBytes = options.CheckpointLog is null
                ? DefaultCheckpointLogBytes
                : Size(options.CheckpointLog, "checkpoint log size", 1L << 20),
            CheckpointInterval = options.CheckpointInterval,
            CommitTimeout = options.CommitTimeout,
        };
    }

    private static long Size(string text, string option, long minimum)
    {
        var bytes = EmbeddedSizing.ParseBytes(text);
        if (bytes is null || bytes < minimum)
        {
            throw new StoreConfigurationException(
                $"{option} '{text}' is not a size Hearth can use: give bytes with an optional k, m or g suffix, at " +
                $"least {EmbeddedSizing.Format(minimum)} (for example 256m or 2g).");
        }

        return bytes.Value;
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

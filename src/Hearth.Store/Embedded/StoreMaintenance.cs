using StackExchange.Redis;

namespace Hearth.Store.Embedded;

/// <summary>
/// Keeps the embedded store bounded: checkpoints it when its append-only file has grown past a size or a checkpoint is
/// older than an interval (Garnet then truncates the file up to the checkpoint, so a restart replays only the tail),
/// and watches the disk budget, closing the store to new work while it is spent. Driven by a hosted loop that calls
/// <see cref="RunOnceAsync"/>; keeps what <c>/api/store</c> shows.
/// </summary>
public sealed class StoreMaintenance : IDisposable
{
    private readonly EmbeddedGarnet _garnet;
    private readonly DiskBudget _budget;
    private readonly ConnectionMultiplexer _admin;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private readonly SemaphoreSlim _running = new(1, 1);
    private readonly DateTimeOffset _started;
    private DateTimeOffset? _lastCheckpoint;
    private long _logAtLastCheckpoint;
    private StoreUsage _usage;

    internal StoreMaintenance(EmbeddedGarnet garnet, TimeProvider time)
    {
        _garnet = garnet;
        _time = time;
        _started = time.GetUtcNow();
        _budget = new DiskBudget(garnet.Settings.Directory, garnet.Settings.MaxDiskBytes);

        // Checkpoints take their own connection: SAVE answers when the checkpoint is done, and Hearth's shared
        // connection
        // must not wait behind it.
        _admin = ConnectionMultiplexer.Connect(garnet.ConnectionString);
        _usage = Measure();
    }

    /// <summary>What the store holds and when it was last checkpointed, as of the last run.</summary>
    public StoreUsage Usage
    {
        get
        {
            lock (_gate)
            {
                return _usage;
            }
        }
    }

    /// <summary>How often <see cref="RunOnceAsync"/> should run.</summary>
    public static TimeSpan Period => TimeSpan.FromSeconds(2);

    /// <summary>
    /// Measures the disk, closes or reopens the store to new work, and checkpoints when due. Returns true when it
    /// checkpointed.
    /// </summary>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <param name="checkpointing">Called just before a checkpoint begins.</param>
    public async Task<bool> RunOnceAsync(CancellationToken cancellationToken, Action? checkpointing = null)
    {
        await _running.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await RunAsync(checkpointing, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _running.Release();
        }
    }

    private async Task<bool> RunAsync(Action? checkpointing, CancellationToken cancellationToken)
    {
        var usage = Measure();
        _garnet.FullReason = usage.Full;
        await ProbeCommitAsync(cancellationToken).ConfigureAwait(false);
        if (_garnet.DiskFailure is not null)
        {
            Publish(usage);
            return false; // nothing can be written, a checkpoint included
        }

        var settings = _garnet.Settings;

        // Garnet frees the covered segments moments after a checkpoint: growth counts from the smallest size seen
        // since.
        _logAtLastCheckpoint = Math.Min(_logAtLastCheckpoint, usage.LogBytes);
        var grown = usage.LogBytes - _logAtLastCheckpoint;
        var now = _time.GetUtcNow();
        var due = grown >= settings.CheckpointLogBytes
            || (grown > 0 && now - (_lastCheckpoint ?? _started) >= settings.CheckpointInterval);
        if (!due || settings.Durability == StoreDurability.Memory)
        {
            Publish(usage);
            return false;
        }

        checkpointing?.Invoke();
        await CheckpointAsync(cancellationToken).ConfigureAwait(false);
        _lastCheckpoint = _time.GetUtcNow();
        usage = Measure() with { LastCheckpoint = _lastCheckpoint };
        _logAtLastCheckpoint = usage.LogBytes;
        Publish(usage);
        return true;
    }

    /// <summary>
    /// Why the store can no longer write its data directory, or null (see <see cref="EmbeddedGarnet.DiskFailure"/>).
    /// </summary>
    public string? DiskFailure => _garnet.DiskFailure;

    /// <summary>
    /// Waits for the pending commit, so a commit the disk refused for a background write (a take, a heartbeat) is
    /// noticed within a period, not only by the next request that waits for one.
    /// </summary>
    private async Task ProbeCommitAsync(CancellationToken cancellationToken)
    {
        if (!_garnet.CommitsAof || _garnet.DiskFailure is not null)
        {
            return;
        }

        try
        {
            await _garnet.WaitForCommitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (StoreRefusedException)
        {
            // Recorded in DiskFailure when the disk refused it; a stalled one is the requests' 503.
        }
    }

    /// <summary>
    /// Takes a checkpoint now and waits for it (Garnet's <c>SAVE</c> on the maintenance connection), then makes it
    /// durable: Garnet writes the checkpoint and the log records it covers with <c>O_DIRECT</c> and never fsyncs them
    /// (seen with <c>strace</c>), so their sizes and names would sit in the file system's journal, while the
    /// append-only file they replace is already truncated. Flushing them closes that window to the moment between
    /// Garnet's truncation and this flush (on ext4 and XFS the journal's order covers it too).
    /// </summary>
    public async Task CheckpointAsync(CancellationToken cancellationToken)
    {
        await _admin.GetDatabase().ExecuteAsync("SAVE").WaitAsync(cancellationToken).ConfigureAwait(false);
        var directory = _garnet.Settings.Directory;
        DiskSync.Tree(Path.Combine(directory, "Store"));
        DiskSync.Tree(Path.Combine(directory, "AOF"));
    }

    private void Publish(StoreUsage usage)
    {
        lock (_gate)
        {
            _usage = usage with { LastCheckpoint = _lastCheckpoint };
        }
    }

    /// <summary>The store's footprint now, and why it must refuse new work (the data directory is walked
    /// once).</summary>
    private StoreUsage Measure()
    {
        var directory = _garnet.Settings.Directory;
        var aof = Path.Combine(directory, "AOF");
        var log = Directory.Exists(aof)
            ? new DirectoryInfo(aof).EnumerateFiles("aof.log.*").Sum(f => f.Exists ? f.Length : 0)
            : 0;
        var memory = 0L;
        var records = 0L;
        try
        {
            var server = _admin.GetServer(_admin.GetEndPoints()[0]);
            memory = Field(server.InfoRaw("memory") ?? string.Empty, "store_mainlog_memory_size");
            records = server.DatabaseSize();
        }
        catch (RedisException)
        {
            // A busy store: keep the disk figures.
        }

        var disk = _budget.UsedBytes();
        return new StoreUsage(memory, disk, records, log, null, _budget.Exhausted(disk));
    }

    private static long Field(string info, string name)
    {
        foreach (var line in info.Split('\n'))
        {
            if (line.StartsWith(name + ":", StringComparison.Ordinal)
                && long.TryParse(line.AsSpan(name.Length + 1).Trim(), out var v))
            {
                return v;
            }
        }

        return 0;
    }

    public void Dispose()
    {
        _admin.Dispose();
        _running.Dispose();
    }
}

/// <summary>The embedded store's footprint.</summary>
/// <param name="MemoryBytes">Log memory in use (what is hot).</param>
/// <param name="DiskBytes">Bytes under the data directory: hybrid log, checkpoints, append-only file.</param>
/// <param name="Records">Keys in the store.</param>
/// <param name="LogBytes">Append-only file on disk (what a restart replays).</param>
/// <param name="LastCheckpoint">When the last checkpoint finished; null before the first of this run.</param>
/// <param name="Full">Why new work is refused now; null when there is room.</param>
public sealed record StoreUsage(
    long MemoryBytes, long DiskBytes, long Records, long LogBytes, DateTimeOffset? LastCheckpoint, string? Full);

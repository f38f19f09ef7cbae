using System.Globalization;
using Garnet;
using Tsavorite.core;

namespace Hearth.Store.Embedded;

/// <summary>
/// Microsoft Garnet started in-process on loopback. The flags are not optional: without
/// <c>--lua-transaction-mode</c> scripts are not atomic, and without <c>--device-type RandomAccess</c> Garnet's
/// native device kills the process on Debian 12.
/// </summary>
/// <remarks>
/// Durability: with <see cref="StoreDurability.FsyncAlways"/> every write is appended to the AOF, which Garnet commits
/// (an <c>O_DIRECT</c> device write, never fsynced: <see cref="AofFlush"/> adds the fsync) as soon as it is appended.
/// Garnet's own <c>--aof-commit-wait</c> is not used: it
/// holds every answer on the connection until the commit, takes and heartbeats included, and Hearth shares one
/// connection. Instead the store waits, through <see cref="WaitForCommitAsync"/>, only where a client or worker is
/// told a write succeeded (see <c>RedisHearthStore</c>), and concurrent waits share one commit.
/// </remarks>
public sealed class EmbeddedGarnet : IDisposable
{
    /// <summary>Main-log and AOF segment size: the granularity at which the store's files on disk are created and
    /// freed.</summary>
    internal const string SegmentSize = "64m";

    private readonly GarnetServer _server;
    private readonly DataDirectoryLock _lock;
    private readonly string _password;
    private readonly AofFlush _flush;
    private string? _fullReason;
    private string? _diskFailure;

    private EmbeddedGarnet(
        GarnetServer server, DataDirectoryLock directoryLock, EmbeddedSettings settings, string password)
    {
        _server = server;
        _lock = directoryLock;
        _password = password;
        Settings = settings;
        _flush = new AofFlush(settings.Directory);
    }

    /// <summary>Why new work is refused now (the disk budget is spent), or null; set by <see
    /// cref="StoreMaintenance"/>.</summary>
    public string? FullReason
    {
        get => Volatile.Read(ref _fullReason);
        internal set => Volatile.Write(ref _fullReason, value);
    }

    /// <summary>
    /// Why the store can no longer write its append-only file (the disk refused a commit: a file system gone
    /// read-only, an I/O error), or null. It stays set: Garnet's log does not resume after a failed commit, so only a
    /// restart on a writable directory reopens the store.
    /// </summary>
    public string? DiskFailure => Volatile.Read(ref _diskFailure);

    /// <summary>What it runs with: where, how large, how durable.</summary>
    public EmbeddedSettings Settings { get; }

    /// <summary>True when each write is committed to the AOF as it is appended (<see
    /// cref="StoreDurability.FsyncAlways"/>), so waiting for it is worth it.</summary>
    public bool CommitsAof => Settings.Durability == StoreDurability.FsyncAlways;

    /// <summary>
    /// Completes once everything Garnet has applied so far is committed to the AOF on disk (returns at once when the
    /// AOF is off). Meant for <see cref="CommitsAof"/>; with a periodic commit it would wait for the next period.
    /// </summary>
    public async Task WaitForCommitAsync(CancellationToken cancellationToken)
    {
        try
        {
            await CommitAndFlushAsync(cancellationToken).WaitAsync(Settings.CommitTimeout, cancellationToken)
                .ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw StoreRefusedException.CommitStalled(Settings.Directory, Settings.CommitTimeout);
        }
        catch (CommitFailureException e)
        {
            // Every write after this one fails too (Garnet answers scripts with "Unexpected Lua error"): remember why,
            // so they are refused with the data directory and the fix instead.
            Interlocked.CompareExchange(ref _diskFailure, e.InnerException?.Message ?? e.Message, null);
            throw StoreRefusedException.DiskFailed(Settings.Directory, DiskFailure!);
        }
        catch (IOException e)
        {
            // fsync refused (EIO, a file system gone read-only): what was committed may not be on disk.
            Interlocked.CompareExchange(ref _diskFailure, e.Message, null);
            throw StoreRefusedException.DiskFailed(Settings.Directory, DiskFailure!);
        }
    }

    /// <summary>Garnet's commit, then the fsync Garnet does not do (<see cref="AofFlush"/>).</summary>
    private async Task CommitAndFlushAsync(CancellationToken cancellationToken)
    {
        await _server.Store.WaitForCommitAsync(cancellationToken).ConfigureAwait(false);
        await _flush.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Refuses new work while the disk budget is spent or the disk refuses writes (<see cref="DiskFailure"/>).
    /// </summary>
    public void EnsureRoom()
    {
        if (DiskFailure is { } failed)
        {
            throw StoreRefusedException.DiskFailed(Settings.Directory, failed);
        }

        if (FullReason is { } why)
        {
            throw StoreRefusedException.DiskFull(Settings.Directory, why);
        }
    }

    /// <summary>The loopback port it listens on.</summary>
    public int Port => Settings.Port;

    /// <summary>StackExchange.Redis configuration string for it, with its password.</summary>
    /// <remarks>The 15 s timeouts leave room for fsync-always commits on a slow disk under load (the client default is
    /// 5 s).</remarks>
    public string ConnectionString =>
        $"127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)},password={_password}," +
        "abortConnect=false,allowAdmin=true,syncTimeout=15000,asyncTimeout=15000";

    /// <summary>Starts Garnet with data under <see cref="StoreOptions.DataDirectory"/>, recovering what is
    /// there.</summary>
    public static EmbeddedGarnet Start(StoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var settings = EmbeddedSettings.From(options);
        var directory = settings.Directory;
        try
        {
            Directory.CreateDirectory(directory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StoreConfigurationException(
                $"Cannot create the data directory '{directory}': {e.Message}. Create it with write access for the " +
                "user running Hearth, or pass --data to use another directory.", e);
        }

        var directoryLock = DataDirectoryLock.Acquire(directory);
        try
        {
            var password = StorePassword.ReadOrCreate(directory);
            return new EmbeddedGarnet(StartQuietly(Arguments(settings, password)), directoryLock, settings, password);
        }
        catch (StoreConfigurationException)
        {
            directoryLock.Dispose();
            throw;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            directoryLock.Dispose();
            throw new StoreConfigurationException(
                $"The embedded store could not start on 127.0.0.1:{settings.Port} with data in '{directory}': " +
                $"{e.Message}. Check that the directory is writable and its disk not full; if the log was cut " +
                "short by a power loss, see 'Recovery' in docs/durability.md.", e);
        }
    }

    /// <summary>The Garnet command line Hearth uses (the password shown as given); public so the docs and tests can
    /// show it.</summary>
    public static string[] Arguments(EmbeddedSettings settings, string password)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var args = new List<string>
        {
            "--bind", "127.0.0.1", "--port", settings.Port.ToString(CultureInfo.InvariantCulture),
            "--auth", "Password", "--password", password,
            "--lua", "--lua-transaction-mode",
            "--device-type", "RandomAccess",
            "--memory", EmbeddedSizing.ToGarnet(settings.MemoryBytes), "--index",
            EmbeddedSizing.ToGarnet(settings.IndexBytes),
            "--index-max-size", EmbeddedSizing.ToGarnet(settings.IndexBytes * 4),
            "--page", EmbeddedSizing.ToGarnet(EmbeddedSizing.PageBytes(settings.MemoryBytes)),
            "--max-inline-value-size",
            EmbeddedSizing.InlineValueBytes(settings.MemoryBytes).ToString(CultureInfo.InvariantCulture),

            // Nothing is ever evicted: records that do not fit in memory go to the hybrid log on disk.
            "--storage-tier", "--logdir", settings.Directory, "--checkpointdir", settings.Directory,
            "--segment", SegmentSize, "--aof-segment-size", SegmentSize,

            // An AOF page holds the largest entry (a whole inline value) and must be twice a log page.
            "--aof-page-size", EmbeddedSizing.ToGarnet(EmbeddedSizing.AofPageBytes(settings.MemoryBytes)),
            "--aof-memory", EmbeddedSizing.ToGarnet(2 * EmbeddedSizing.AofPageBytes(settings.MemoryBytes)),

            // Records deleted long ago are dropped from the log on disk (liveness checked record by record: no data
            // loss);
            // the freed files go at the next checkpoint.
            "--compaction-type", "Lookup", "--compaction-freq", "60", "--compaction-max-segments", "16",
        };
        switch (settings.Durability)
        {
            case StoreDurability.FsyncAlways:
                args.AddRange(["--aof", "--recover", "--aof-commit-freq", "0"]);
                break;
            case StoreDurability.FsyncEverySecond:
                args.AddRange(["--aof", "--recover", "--aof-commit-freq", "1000"]);
                break;
            case StoreDurability.Memory:
                break;
        }

        return [.. args];
    }

    private static readonly Lock ConsoleLock = new();

    /// <summary>
    /// Garnet writes its ASCII-art banner straight to the console when it starts, with no option to turn it off;
    /// Hearth's own start-up lines are what a user should read, so the console is muted for those few milliseconds.
    /// </summary>
    private static GarnetServer StartQuietly(string[] args)
    {
        lock (ConsoleLock)
        {
            var original = Console.Out;
            Console.SetOut(TextWriter.Null);
            try
            {
                var server = new GarnetServer(args);
                server.Start();
                return server;
            }
            finally
            {
                Console.SetOut(original);
            }
        }
    }

    /// <summary>Stops Garnet, keeping its data directory (never <c>Dispose(true)</c>, which deletes it).</summary>
    public void Dispose()
    {
        _server.Dispose();
        _lock.Dispose();
    }
}

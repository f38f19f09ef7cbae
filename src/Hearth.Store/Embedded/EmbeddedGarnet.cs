using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Garnet;

namespace Hearth.Store.Embedded;

/// <summary>
/// Microsoft Garnet started in-process on loopback. The flags are not optional: without
/// <c>--lua-transaction-mode</c> scripts are not atomic, and without <c>--device-type RandomAccess</c> Garnet's
/// native device kills the process on Debian 12.
/// </summary>
/// <remarks>
/// Durability: with <see cref="StoreDurability.FsyncAlways"/> every write is appended to the AOF, which Garnet commits
/// (a write-through device write) as soon as it is appended. Garnet's own <c>--aof-commit-wait</c> is not used: it
/// holds every answer on the connection until the commit, takes and heartbeats included, and Hearth shares one
/// connection. Instead the store waits, through <see cref="WaitForCommitAsync"/>, only where a client or worker is
/// told a write succeeded (see <c>RedisHearthStore</c>), and concurrent waits share one commit.
/// </remarks>
public sealed class EmbeddedGarnet : IDisposable
{
    private readonly GarnetServer _server;

    private EmbeddedGarnet(GarnetServer server, int port, bool commitsEachWrite)
    {
        _server = server;
        Port = port;
        CommitsAof = commitsEachWrite;
    }

    /// <summary>True when each write is committed to the AOF as it is appended (<see cref="StoreDurability.FsyncAlways"/>), so waiting for it is worth it.</summary>
    public bool CommitsAof { get; }

    /// <summary>
    /// Completes once everything Garnet has applied so far is committed to the AOF on disk (returns at once when the
    /// AOF is off). Meant for <see cref="CommitsAof"/>; with a periodic commit it would wait for the next period.
    /// </summary>
    public async Task WaitForCommitAsync(CancellationToken cancellationToken)
    {
        await _server.Store.WaitForCommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The loopback port it listens on.</summary>
    public int Port { get; }

    /// <summary>StackExchange.Redis configuration string for it.</summary>
    /// <remarks>The 15 s timeouts leave room for fsync-always commits on a slow disk under load (the client default is 5 s).</remarks>
    public string ConnectionString => $"127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)},abortConnect=false,allowAdmin=true,syncTimeout=15000,asyncTimeout=15000";

    /// <summary>Starts Garnet with data under <see cref="StoreOptions.DataDirectory"/>, recovering what is there.</summary>
    public static EmbeddedGarnet Start(StoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var directory = Path.GetFullPath(options.DataDirectory);
        Directory.CreateDirectory(directory);
        var port = options.EmbeddedPort != 0 ? options.EmbeddedPort : FreeLoopbackPort();
        var args = Arguments(options, directory, port);
        try
        {
            return new EmbeddedGarnet(StartQuietly(args), port, options.Durability == StoreDurability.FsyncAlways);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new StoreConfigurationException(
                $"The embedded store could not start on 127.0.0.1:{port} with data in '{directory}': {e.Message}. " +
                "Check that the directory is writable and not used by another Hearth process, or pass --data to use another one.", e);
        }
    }

    /// <summary>The Garnet command line Hearth uses; public so the docs and tests can show it.</summary>
    public static string[] Arguments(StoreOptions options, string directory, int port)
    {
        ArgumentNullException.ThrowIfNull(options);
        var args = new List<string>
        {
            "--bind", "127.0.0.1", "--port", port.ToString(CultureInfo.InvariantCulture),
            "--lua", "--lua-transaction-mode",
            "--device-type", "RandomAccess",
            "--memory", options.EmbeddedMemory, "--index", options.EmbeddedIndex,
            "--checkpointdir", directory,
        };
        switch (options.Durability)
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

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Stops Garnet, keeping its data directory (never <c>Dispose(true)</c>, which deletes it).</summary>
    public void Dispose() => _server.Dispose();
}

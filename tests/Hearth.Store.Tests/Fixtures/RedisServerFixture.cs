using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Hearth.Store.Tests.Fixtures;

/// <summary>
/// A real redis-server on a free loopback port, started once per test collection; or the server named by
/// HEARTH_TEST_REDIS (host:port) when set. Started with noeviction, as Hearth requires.
/// </summary>
public sealed class RedisServerFixture : IDisposable
{
    private readonly string[] _arguments = [];
    private readonly int _port;
    private string? _ownDirectory;
    private Process? _process;

    public RedisServerFixture()
    {
        var external = Environment.GetEnvironmentVariable("HEARTH_TEST_REDIS");
        if (!string.IsNullOrEmpty(external))
        {
            Address = external;
            return;
        }

        _port = FreePort();
        _arguments = ["--save", "", "--appendonly", "no", "--maxmemory-policy", "noeviction"];
        Address = $"127.0.0.1:{_port}";
        Start();
    }

    private RedisServerFixture(string[] arguments)
    {
        _port = FreePort();
        _arguments = arguments;
        Address = $"127.0.0.1:{_port}";
        Start();
    }

    /// <summary>A throwaway redis-server of this test's own, started with <paramref name="arguments"/> (port and bind are added).</summary>
    public static RedisServerFixture StartWith(params string[] arguments) => new(arguments);

    /// <summary>
    /// A throwaway redis-server that keeps an append-only file fsynced on every write, in a directory of its own
    /// (deleted with the server), so it survives <see cref="Crash"/> and <see cref="Start"/> and no run sees another's
    /// data.
    /// </summary>
    public static RedisServerFixture StartDurable()
    {
        var directory = Directory.CreateTempSubdirectory("hearth-redis-").FullName;
        var server = new RedisServerFixture(
            ["--save", "", "--appendonly", "yes", "--appendfsync", "always", "--dir", directory]);
        server._ownDirectory = directory;
        return server;
    }

    /// <summary>kill -9: the server dies without a chance to flush anything.</summary>
    public void Crash()
    {
        _process?.Kill();
        if (_process?.WaitForExit(TimeSpan.FromSeconds(30)) == false)
        {
            throw new TimeoutException($"redis-server (pid {_process.Id}) was still running 30 s after SIGKILL.");
        }

        _process?.Dispose();
        _process = null;
    }

    /// <summary>Starts the server again with the same arguments and port (after <see cref="Crash"/>).</summary>
    public void Start()
    {
        var binary = File.Exists("/usr/bin/redis-server") ? "/usr/bin/redis-server" : "redis-server";
        var start = new ProcessStartInfo(binary) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in (string[])["--port", _port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", .. _arguments])
        {
            start.ArgumentList.Add(argument);
        }

        try
        {
            _process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("redis-server is not installed: run 'apt-get install -y redis-server' (the test script does), or set HEARTH_TEST_REDIS=host:port.", e);
        }

        WaitUntilListening(_port);
    }

    /// <summary>host:port of the server.</summary>
    public string Address { get; }

    /// <summary>The store URL for Hearth.</summary>
    public string Url => $"redis://{Address}";

    public static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    private static void WaitUntilListening(int port)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(10))
        {
            try
            {
                using var c = new TcpClient();
                c.Connect(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException)
            {
                // Not yet: the server binds within milliseconds; a blocking connect retry is the readiness probe.
                SpinWait.SpinUntil(() => false, 20);
            }
        }

        throw new InvalidOperationException($"redis-server did not listen on port {port} within 10 s.");
    }

    public void Dispose()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            if (!_process.WaitForExit(TimeSpan.FromSeconds(30)))
            {
                throw new TimeoutException($"redis-server (pid {_process.Id}) was still running 30 s after SIGKILL.");
            }
        }

        _process?.Dispose();
        if (_ownDirectory is not null)
        {
            Directory.Delete(_ownDirectory, recursive: true);
        }
    }
}

[CollectionDefinition(Name)]
public sealed class RedisCollection : ICollectionFixture<RedisServerFixture>
{
    public const string Name = "redis-server";
}

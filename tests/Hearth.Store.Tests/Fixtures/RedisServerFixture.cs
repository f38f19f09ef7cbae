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
    private readonly Process? _process;

    public RedisServerFixture()
    {
        var external = Environment.GetEnvironmentVariable("HEARTH_TEST_REDIS");
        if (!string.IsNullOrEmpty(external))
        {
            Address = external;
            return;
        }

        var port = FreePort();
        var binary = File.Exists("/usr/bin/redis-server") ? "/usr/bin/redis-server" : "redis-server";
        var start = new ProcessStartInfo(binary)
        {
            ArgumentList = { "--port", port.ToString(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--maxmemory-policy", "noeviction" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        try
        {
            _process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("redis-server is not installed: run 'apt-get install -y redis-server' (the test script does), or set HEARTH_TEST_REDIS=host:port.", e);
        }

        Address = $"127.0.0.1:{port}";
        WaitUntilListening(port);
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
            _process.WaitForExit();
        }

        _process?.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class RedisCollection : ICollectionFixture<RedisServerFixture>
{
    public const string Name = "redis-server";
}

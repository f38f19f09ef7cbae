using System.Net;
using System.Net.Sockets;

namespace Hearth.Soak.Running;

/// <summary>A real redis-server for the serve replicas, on a data directory that survives its restarts:
/// <c>appendonly yes</c>, <c>appendfsync always</c>, <c>noeviction</c> (what <c>--durability fsync-always</c>
/// needs).</summary>
internal sealed class RedisServer(string directory, int port) : IDisposable
{
    private ChildProcess? _process;

    public int Port { get; } = port;

    public string Url => $"redis://127.0.0.1:{Port}";

    public int? Pid => _process?.Pid;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(directory);
        _process = ChildProcess.Start("redis-server",
        [
            "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1",
            "--dir", directory, "--appendonly", "yes", "--appendfsync", "always", "--maxmemory-policy", "noeviction",
            "--save", string.Empty, "--protected-mode", "no",
        ], new Dictionary<string, string>(), Path.Combine(directory, "redis.log"));
        await _process.WaitForAsync("Ready to accept connections", TimeSpan.FromSeconds(60), cancellationToken)
            .ConfigureAwait(false);
    }

    /// <summary>kill -9, then a start on the same data (the append-only file is replayed).</summary>
    public async Task RestartHardAsync(CancellationToken cancellationToken)
    {
        _process!.KillHard();
        await _process.WaitForExitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        _process.Dispose();
        await StartAsync(cancellationToken).ConfigureAwait(false);
    }

    public void Pause() => Signals.Send(_process!.Pid, Signals.Stop);

    public void Resume() => Signals.Send(_process!.Pid, Signals.Continue);

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        if (_process is { } p)
        {
            Signals.Send(p.Pid, Signals.Continue);
            p.Dispose();
        }
    }
}

using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Hearth.Soak.Faults;

/// <summary>
/// A loopback TCP proxy between the workers and the control plane: each connection goes to the first backend that
/// accepts it (round robin, so with two replicas it is also their load balancer, and a dead replica is skipped), and
/// while a fault is on it delays every chunk (<see cref="SetLatency"/>) or cuts connections at random
/// (<see cref="SetResetChance"/>).
/// </summary>
internal sealed class ChaosProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Func<IReadOnlyList<int>> _backends;
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<Socket, bool> _open = new();
    private readonly Task _accepting;
    private int _next;
    private volatile int _latencyMs;
    private volatile int _jitterMs;
    private double _resetChance;

    public ChaosProxy(Func<IReadOnlyList<int>> backendPorts, TimeProvider time)
    {
        _backends = backendPorts;
        _time = time;
        _listener.Start(512);
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _accepting = AcceptAsync(_stop.Token);
    }

    public int Port { get; }

    public string Address => $"127.0.0.1:{Port}";

    /// <summary>Connections cut so far.</summary>
    public int Resets { get; private set; }

    /// <summary>Delays every chunk by <paramref name="ms"/> ± <paramref name="jitter"/> (0: none).</summary>
    public void SetLatency(int ms, int jitter) => (_latencyMs, _jitterMs) = (ms, jitter);

    /// <summary>Cuts a connection at each chunk with this probability (0: never).</summary>
    public void SetResetChance(double chance) => Volatile.Write(ref _resetChance, chance);

    private async Task AcceptAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptSocketAsync(ct).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _ = ServeAsync(client, ct);
        }
    }

    private async Task ServeAsync(Socket client, CancellationToken ct)
    {
        client.NoDelay = true;
        var server = await ConnectAsync(ct).ConfigureAwait(false);
        if (server is null)
        {
            Abort(client);
            return;
        }

        _open[client] = true;
        _open[server] = true;
        try
        {
            await Task.WhenAny(PumpAsync(client, server, ct), PumpAsync(server, client, ct)).ConfigureAwait(false);
        }
        finally
        {
            Abort(client);
            Abort(server);
        }
    }

    private async Task<Socket?> ConnectAsync(CancellationToken ct)
    {
        var ports = _backends();
        for (var i = 0; i < ports.Count; i++)
        {
            var port = ports[(int)((uint)Interlocked.Increment(ref _next) % ports.Count)];
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), ct).ConfigureAwait(false);
                return socket;
            }
            catch (SocketException)
            {
                socket.Dispose();
            }
        }

        return null;
    }

    private async Task PumpAsync(Socket from, Socket to, CancellationToken ct)
    {
        var buffer = new byte[64 * 1024];
        try
        {
            while (true)
            {
                var n = await from.ReceiveAsync(buffer, SocketFlags.None, ct).ConfigureAwait(false);
                if (n == 0)
                {
                    to.Shutdown(SocketShutdown.Send);
                    return;
                }

                if (_latencyMs > 0)
                {
                    var delay = _latencyMs + Random.Shared.Next(-_jitterMs, _jitterMs + 1);
                    await Task.Delay(TimeSpan.FromMilliseconds(Math.Max(0, delay)), _time, ct).ConfigureAwait(false);
                }

                if (Random.Shared.NextDouble() < Volatile.Read(ref _resetChance))
                {
                    Resets++;
                    return;
                }

                await to.SendAsync(buffer.AsMemory(0, n), SocketFlags.None, ct).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // One side went away; the caller closes both.
        }
    }

    private void Abort(Socket socket)
    {
        _open.TryRemove(socket, out _);
        try
        {
            // A reset, not a polite close: what a cut cable or a dead peer looks like.
            socket.LingerState = new LingerOption(true, 0);
            socket.Close();
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // Gone already.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _listener.Stop();
        foreach (var socket in _open.Keys)
        {
            Abort(socket);
        }

        await _accepting.ConfigureAwait(false);
        _stop.Dispose();
    }
}

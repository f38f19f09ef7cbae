using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Hearth.Core.Placement;
using Hearth.Scaling.Processes;
using Hearth.Server.Nodes;
using Hearth.Store.Nodes;
using Microsoft.Extensions.Logging;

namespace Hearth.App.Nodes;

/// <summary>
/// Keeps exactly the workers the control plane assigned to this node running. Two loops feed one reconcile: a heartbeat
/// (inventory, running workers, exits; every <see cref="NodeOrders.HeartbeatMs"/>) and a long poll that returns as soon
/// as the assignments change. Answers carry a version, so an older answer never undoes a newer one. A worker that exits
/// on its own is reported and not restarted here: the scheduler places its replacement (maybe elsewhere).
/// </summary>
internal sealed partial class NodeAgent : IAsyncDisposable
{
    /// <summary>How long a worker the control plane removed may take to finish its jobs before it is killed. Default
    /// 10 s.</summary>
    public static readonly TimeSpan StopDrain = TimeSpan.FromSeconds(10);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan PollTimeout = TimeSpan.FromSeconds(30);
    private readonly HttpClient _http;
    private readonly string _server;
    private readonly NodeInventory _inventory;
    private readonly TextWriter _out;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ProcessProvider _provider;
    private readonly ConcurrentDictionary<string, WorkerAssignment> _running = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _finished = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _killing = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<NodeWorkerExit> _exits = new();
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly List<Task> _stopping = [];
    private long _applied = -1;
    private TimeSpan _heartbeat = TimeSpan.FromSeconds(2);
    private bool _reachable = true;

    public NodeAgent(string server, string token, NodeInventory inventory, TextWriter output, TimeProvider time)
    {
        _server = server;
        _inventory = inventory;
        _out = output;
        _time = time;
        _logger = new Hosting.ConsoleLines<NodeAgent>(output);
        _http = new HttpClient { BaseAddress = new Uri(server + "/"), Timeout = Timeout.InfiniteTimeSpan };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        _provider = new ProcessProvider(
            new ProcessProviderOptions { OutputSink = (id, line) => _out.WriteLine($"  [{id}] {line}") });
        _provider.Exited += OnExited;
    }

    private string NodePath => $"api/nodes/{Uri.EscapeDataString(_inventory.NodeId)}";

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        await _out.WriteLineAsync($"hearth node {_inventory.NodeId}: {_inventory.CpuCores} cores, " +
            $"{_inventory.MemoryBytes / (1 << 20)} MiB, " +
            $"{(_inventory.Gpus.Count == 0 ? "no GPU" : string.Join(", ",
                _inventory.Gpus.Select(g => $"{g.Index}: {g.Name} {g.TotalBytes / (1 << 20)} MiB")))}" +
            $"{(_inventory.Datacenter is null ? string.Empty : $", {_inventory.Datacenter}")}; control plane {_server}")
                .ConfigureAwait(false);
        try
        {
            await Task.WhenAll(
                HeartbeatLoopAsync(cancellationToken), PollLoopAsync(cancellationToken)).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await _out.WriteLineAsync("Stopping: draining workers…").ConfigureAwait(false);
        }
    }

    private async Task HeartbeatLoopAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var next = Task.Delay(_heartbeat, _time, cancellationToken);
            var exits = new List<NodeWorkerExit>();
            while (_exits.TryDequeue(out var exit))
            {
                exits.Add(exit);
            }

            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(RequestTimeout);
                using var response = await _http.PostAsJsonAsync(
                    $"{NodePath}/heartbeat", new NodeHeartbeat(_inventory, [.. _running.Keys], exits), Json,
                    timeout.Token).ConfigureAwait(false);
                var orders = await ReadAsync(response, timeout.Token).ConfigureAwait(false);
                _heartbeat = TimeSpan.FromMilliseconds(Math.Max(100, orders.HeartbeatMs));
                if (orders.WasLost)
                {
                    Log.WasLost(_logger, _inventory.NodeId);
                }

                await ApplyAsync(orders, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is HttpRequestException or OperationCanceledException or JsonException
                && !cancellationToken.IsCancellationRequested)
            {
                foreach (var exit in exits)
                {
                    _exits.Enqueue(exit); // reported with the next heartbeat that gets through
                }

                Unreachable(e);
            }

            await next.ConfigureAwait(false);
        }
    }

    private async Task PollLoopAsync(CancellationToken cancellationToken)
    {
        // Backs off with jitter while the control plane is unreachable or refuses the token, up to a heartbeat's
        // interval: a node must pick up its orders soon after the control plane is back, and never floods it.
        var retry = Hearth.Worker.ControlPlaneRetry.Build(_time, _logger, "Polling for worker orders",
            TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(2));
        while (true)
        {
            var orders = await retry.ExecuteAsync(async token =>
            {
                try
                {
                    using var timeout = CancellationTokenSource.CreateLinkedTokenSource(token);
                    timeout.CancelAfter(PollTimeout);
                    var version = Interlocked.Read(ref _applied);
                    using var response = await _http.GetAsync(
                        $"{NodePath}/workers{(version >= 0 ? $"?version={version}" : string.Empty)}", timeout.Token)
                        .ConfigureAwait(false);
                    return await ReadAsync(response, timeout.Token).ConfigureAwait(false);
                }
                catch (Exception e) when (e is HttpRequestException or OperationCanceledException or JsonException
                    && !token.IsCancellationRequested)
                {
                    Unreachable(e);
                    throw;
                }
            }, cancellationToken).ConfigureAwait(false);
            await ApplyAsync(orders, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task<NodeOrders> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            var fix = response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden
                ? " (the control plane refused this node's token: pass --token or set HEARTH_NODE_TOKEN to a node "
                    + "token 'hearth serve' printed or was given)"
                : string.Empty;
            throw new HttpRequestException($"{(int)response.StatusCode} {body}{fix}", null, response.StatusCode);
        }

        return await response.Content.ReadFromJsonAsync<NodeOrders>(Json, cancellationToken).ConfigureAwait(false)
            ?? throw new JsonException("empty answer");
    }

    private void Unreachable(Exception e)
    {
        if (_reachable)
        {
            _reachable = false;
            Log.Unreachable(_logger, _inventory.NodeId, e.Message);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Task[] stopping;
        lock (_stopping)
        {
            stopping = [.. _stopping];
        }

        await Task.WhenAll(
            [.. _running.Keys.Select(id => _provider.StopAsync(id, StopDrain)), .. stopping]).ConfigureAwait(false);
        await _provider.DisposeAsync().ConfigureAwait(false);
        _http.Dispose();
        _gate.Dispose();
    }
}

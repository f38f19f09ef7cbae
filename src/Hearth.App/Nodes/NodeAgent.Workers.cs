using System.Globalization;
using System.Reflection;
using Hearth.Scaling.Processes;
using Hearth.Server.Nodes;

namespace Hearth.App.Nodes;

internal sealed partial class NodeAgent
{
    private async Task ApplyAsync(NodeOrders orders, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!_reachable)
            {
                _reachable = true;
                await _out.WriteLineAsync($"node {_inventory.NodeId}: the control plane answers again").ConfigureAwait(false);
            }

            if (orders.Version < Interlocked.Read(ref _applied))
            {
                return; // an answer older than one already applied
            }

            Interlocked.Exchange(ref _applied, orders.Version);
            var wanted = orders.Workers.ToDictionary(w => w.Assignment.WorkerId, StringComparer.Ordinal);
            foreach (var id in _running.Keys.Where(id => !wanted.ContainsKey(id)).ToList())
            {
                if (_running.TryRemove(id, out var gone))
                {
                    _finished[id] = true;
                    await _out.WriteLineAsync($"  {gone.Endpoint}: stopping worker {id} (no longer assigned to this node)").ConfigureAwait(false);
                    lock (_stopping)
                    {
                        _stopping.RemoveAll(t => t.IsCompleted);
                        _stopping.Add(_provider.StopAsync(id, StopDrain, CancellationToken.None));
                    }
                }
            }

            foreach (var (id, order) in wanted)
            {
                if (_running.ContainsKey(id) || _finished.ContainsKey(id))
                {
                    continue;
                }

                try
                {
                    _running[id] = order.Assignment;
                    var handle = await _provider.StartAsync(Launch(order, orders), cancellationToken).ConfigureAwait(false);
                    await _out.WriteLineAsync($"  {order.Assignment.Endpoint}: starting worker {id} (pid {handle.ProcessId})" +
                        (order.Assignment.GpuIndexes.Count > 0 ? $" on GPUs {string.Join(",", order.Assignment.GpuIndexes)}" : string.Empty)).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    _running.TryRemove(id, out _);
                    _finished[id] = true;
                    _exits.Enqueue(new NodeWorkerExit(id, -1));
                    await _out.WriteLineAsync($"  {order.Assignment.Endpoint}: worker {id} could not be started: {e.Message}").ConfigureAwait(false);
                }
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private void OnExited(object? sender, WorkerExited e)
    {
        if (_running.TryRemove(e.WorkerId, out _))
        {
            _finished[e.WorkerId] = true;
            _exits.Enqueue(new NodeWorkerExit(e.WorkerId, e.ExitCode));
            _out.WriteLine($"  {e.Endpoint}: worker {e.WorkerId} exited with code {e.ExitCode}; reported (the scheduler places a replacement)" +
                (e.LastStderrLines.Count > 0 ? $". Last output: {e.LastStderrLines[^1]}" : string.Empty));
        }
        else
        {
            _out.WriteLine($"  {e.Endpoint}: worker {e.WorkerId} stopped (exit code {e.ExitCode})");
        }
    }

    /// <summary>The Runpod worker environment pointing at the control plane this agent talks to, plus the placement's.</summary>
    private WorkerLaunch Launch(NodeWorkerOrder order, NodeOrders orders)
    {
        var a = order.Assignment;
        var v2 = $"{_server}/v2/{a.Endpoint}";
        var env = new Dictionary<string, string>(a.Environment, StringComparer.Ordinal)
        {
            ["RUNPOD_WEBHOOK_GET_JOB"] = $"{v2}/job-take/$ID?",
            ["RUNPOD_WEBHOOK_POST_OUTPUT"] = $"{v2}/job-done/$RUNPOD_POD_ID/$ID?",
            ["RUNPOD_WEBHOOK_POST_STREAM"] = $"{v2}/job-stream/$RUNPOD_POD_ID/$ID?",
            ["RUNPOD_WEBHOOK_PING"] = $"{v2}/ping/$RUNPOD_POD_ID",
            ["RUNPOD_POD_ID"] = a.WorkerId,
            ["RUNPOD_AI_API_KEY"] = order.Token,
            ["RUNPOD_ENDPOINT_ID"] = a.Endpoint,
            ["RUNPOD_PING_INTERVAL"] = orders.PingMs.ToString(CultureInfo.InvariantCulture),
            ["RUNPOD_SKIP_AUTO_SYSTEM_CHECKS"] = "true",
            ["HEARTH_LEASE_MS"] = orders.LeaseMs.ToString(CultureInfo.InvariantCulture),
            ["HEARTH_API_URL"] = $"{_server}/v2",
            ["HEARTH_NODE"] = _inventory.NodeId,
            ["CUDA_VISIBLE_DEVICES"] = string.Join(',', a.GpuIndexes),
        };
        var directory = a.WorkingDirectory is { } d && Directory.Exists(d) ? d : null;
        if (a.Command is { } command)
        {
            return new WorkerLaunch(a.WorkerId, a.Endpoint, "/bin/sh", ["-c", command], env, directory);
        }

        // No command: the endpoint's handler is in this app (the same binary runs 'node' and 'worker').
        var host = Environment.ProcessPath ?? "dotnet";
        var entry = Assembly.GetEntryAssembly()?.Location;
        string[] self = Path.GetFileNameWithoutExtension(host) == "dotnet" && entry is not null ? [entry] : [];
        return new WorkerLaunch(a.WorkerId, a.Endpoint, host, [.. self, "worker", "--endpoint", a.Endpoint], env, directory);
    }
}

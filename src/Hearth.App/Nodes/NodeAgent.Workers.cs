using Hearth.Core.Wire;
using Hearth.Scaling.Processes;
using Hearth.Server.Nodes;
using Hearth.Store.Nodes;

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
                Log.Reachable(_logger, _inventory.NodeId);
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
                    Log.Stopping(_logger, gone.Endpoint, id);
                    lock (_stopping)
                    {
                        _stopping.RemoveAll(t => t.IsCompleted);
                        _stopping.Add(_provider.StopAsync(id, StopDrain, CancellationToken.None));
                    }
                }
            }

            foreach (var (id, order) in wanted)
            {
                if (order.Assignment.Killed is { } why)
                {
                    await KillAsync(order.Assignment, why).ConfigureAwait(false);
                    continue;
                }

                if (_running.ContainsKey(id) || _finished.ContainsKey(id))
                {
                    continue;
                }

                try
                {
                    _running[id] = order.Assignment;
                    var handle = await _provider.StartAsync(Launch(order, orders), cancellationToken)
                        .ConfigureAwait(false);
                    Log.Starting(_logger, order.Assignment.Endpoint, id, handle.ProcessId,
                        order.Assignment.GpuIndexes.Count > 0
                            ? $" on GPUs {string.Join(",", order.Assignment.GpuIndexes)}"
                            : string.Empty);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    _running.TryRemove(id, out _);
                    _finished[id] = true;
                    _exits.Enqueue(new NodeWorkerExit(id, -1, order.Assignment.Endpoint, [e.Message]));
                    Log.StartFailed(_logger, order.Assignment.Endpoint, id, e.Message);
                }
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Kills a worker the scheduler ordered killed (a runaway), at once and once. It stays in the running set, so its
    /// exit is reported like any other and the control plane drops the assignment.
    /// </summary>
    private async Task KillAsync(WorkerAssignment a, string why)
    {
        if (!_running.ContainsKey(a.WorkerId))
        {
            if (_finished.TryAdd(a.WorkerId, true))
            {
                // Never started here: report it gone.
                _exits.Enqueue(new NodeWorkerExit(a.WorkerId, -1, a.Endpoint, Requested: true));
            }

            return;
        }

        if (!_killing.TryAdd(a.WorkerId, true))
        {
            return;
        }

        Log.Killing(_logger, a.Endpoint, a.WorkerId, why);
        lock (_stopping)
        {
            _stopping.RemoveAll(t => t.IsCompleted);
            _stopping.Add(_provider.StopAsync(a.WorkerId, TimeSpan.Zero, CancellationToken.None));
        }
    }

    private void OnExited(object? sender, WorkerExited e)
    {
        if (_running.TryRemove(e.WorkerId, out _))
        {
            _finished[e.WorkerId] = true;
            var killed = _killing.ContainsKey(e.WorkerId);
            _exits.Enqueue(new NodeWorkerExit(e.WorkerId, e.ExitCode, e.Endpoint, e.LastStderrLines, killed));
            Log.Exited(_logger, e.Endpoint, e.WorkerId, e.ExitCode,
                e.LastStderrLines.Count > 0 ? $". Last output: {e.LastStderrLines[^1]}" : string.Empty);
        }
        else
        {
            Log.Stopped(_logger, e.Endpoint, e.WorkerId, e.ExitCode);
        }
    }

    /// <summary>The Runpod worker environment pointing at the control plane this agent talks to, plus the
    /// placement's.</summary>
    private WorkerLaunch Launch(NodeWorkerOrder order, NodeOrders orders)
    {
        var a = order.Assignment;
        var env = new Dictionary<string, string>(a.Environment, StringComparer.Ordinal);
        WorkerEnvironment.AddConnection(env,
            new WorkerConnection(_server, a.Endpoint, a.WorkerId, order.Token, orders.PingMs, orders.LeaseMs));
        env[WorkerVariables.Node] = _inventory.NodeId;
        var directory = a.WorkingDirectory is { } d && Directory.Exists(d) ? d : null;
        return Hosting.WorkerCommandLine.For(a.WorkerId, a.Endpoint, a.Command, env, directory);
    }
}

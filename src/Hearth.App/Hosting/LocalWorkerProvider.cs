using System.Collections.Concurrent;
using Hearth.Core.Endpoints;
using Hearth.Core.Placement;
using Hearth.Core.Wire;
using Hearth.Scaling.Processes;
using Hearth.Server.Admin;
using Hearth.Server.Scheduling;
using Microsoft.Extensions.Logging;

namespace Hearth.App.Hosting;

/// <summary>
/// The scheduler's workers as local processes (<c>dev</c>, one host): C# endpoints relaunch this app in its worker
/// role, YAML endpoints run their <c>command:</c>. A worker that exits is reported, never restarted here: the
/// scheduler decides (with backoff). Disposing drains every worker, then kills what is left.
/// </summary>
internal sealed partial class LocalWorkerProvider : IWorkerProvider, IAsyncDisposable
{
    /// <summary>How long a worker may take to finish its jobs when scaled down or when dev stops. 30 s.</summary>
    public static readonly TimeSpan StopDrain = TimeSpan.FromSeconds(30);

    private readonly ProcessProvider _processes;
    private readonly NodeInventory _node;
    private readonly ControlPlane _plane;
    private readonly Volumes _volumes;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, FleetWorker> _workers = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<FleetExit> _exits = new();
    private readonly List<Task> _stopping = [];

    public LocalWorkerProvider(ControlPlane plane, NodeInventory node, Volumes volumes, TextWriter output,
        Action<string, string> outputLine)
    {
        _plane = plane;
        _node = node;
        _volumes = volumes;
        _logger = new ConsoleLines<LocalWorkerProvider>(output);
        _processes = new ProcessProvider(new ProcessProviderOptions { OutputSink = outputLine });
        _processes.Exited += OnExited;
    }

    public Task<Fleet> ReadAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var exits = new List<FleetExit>();
        while (_exits.TryDequeue(out var exit))
        {
            exits.Add(exit);
        }

        return Task.FromResult(new Fleet([_node], [.. _workers.Values], exits));
    }

    public async Task StartAsync(WorkerOrder order, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(order);
        var name = order.Endpoint.Spec.Name;
        var worker = new FleetWorker(order.WorkerId, name, order.Node, order.GpuIndexes, order.BytesPerGpu, order.At);
        _workers[order.WorkerId] = worker; // listed (its cards held) before it runs
        try
        {
            var handle = await _processes.StartAsync(Launch(order), cancellationToken).ConfigureAwait(false);
            _workers.TryUpdate(order.WorkerId, worker with { ProcessId = handle.ProcessId }, worker);
            Log.Starting(_logger, name, order.WorkerId, handle.ProcessId);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The exit first, then the listing: a read between the two sees the worker twice, never not at all.
            _exits.Enqueue(new FleetExit(order.WorkerId, name, -1, [e.Message], Requested: false));
            _workers.TryRemove(order.WorkerId, out _);
            Log.StartFailed(_logger, name, order.WorkerId, e.Message);
        }
    }

    public Task StopAsync(string workerId, CancellationToken cancellationToken) =>
        Task.FromResult(Leave(workerId, "draining (scale-down)", StopDrain));

    public Task<bool> KillAsync(string workerId, string reason, CancellationToken cancellationToken) =>
        Task.FromResult(Leave(workerId, reason, TimeSpan.Zero));

    public VolumeInfo? Volume(EndpointSpec spec) =>
        spec?.Volume is { } volume ? _volumes.Describe(volume) : null;

    /// <summary>Stops a worker (drained, or at once); it stays listed, holding its cards, until it has
    /// exited.</summary>
    private bool Leave(string workerId, string why, TimeSpan drain)
    {
        if (!_workers.TryGetValue(workerId, out var worker) || worker.Leaving is not null
            || !_workers.TryUpdate(workerId, worker with { Leaving = why }, worker))
        {
            return false;
        }

        lock (_stopping)
        {
            _stopping.RemoveAll(t => t.IsCompleted);
            _stopping.Add(_processes.StopAsync(workerId, drain, CancellationToken.None));
        }

        return true;
    }

    /// <summary>The launch: the order's environment, how to reach this control plane, the volume, the
    /// command.</summary>
    private WorkerLaunch Launch(WorkerOrder order)
    {
        var spec = order.Endpoint.Spec;
        var env = new Dictionary<string, string>(order.Environment, StringComparer.Ordinal);
        WorkerEnvironment.AddConnection(env, new WorkerConnection(_plane.Address, spec.Name, order.WorkerId,
            _plane.WorkerTokens[spec.Name], (long)_plane.Options.HeartbeatInterval.TotalMilliseconds,
            (long)_plane.Options.Lease.TotalMilliseconds));
        if (_plane.CallKeys.TryGetValue(spec.Name, out var callKey))
        {
            env[WorkerVariables.CallKey] = callKey;
        }
        if (spec.Volume is { } volume)
        {
            var path = _volumes.Ensure(volume);
            env[WorkerVariables.VolumePath] = path;
            env[WorkerVariables.RunpodVolumePath] = path;
        }

        return WorkerCommandLine.For(order.WorkerId, spec.Name, spec.Command, env, order.Endpoint.WorkingDirectory);
    }

    private void OnExited(object? sender, WorkerExited e)
    {
        // The exit first, then the listing: a read between the two sees the worker twice, never not at all (which
        // would let the scheduler start a replacement before it counted the crash).
        _exits.Enqueue(new FleetExit(e.WorkerId, e.Endpoint, e.ExitCode, e.LastStderrLines, e.Requested));
        _workers.TryRemove(e.WorkerId, out _);
        if (!e.Requested)
        {
            Log.Exited(_logger, e.Endpoint, e.WorkerId, e.ExitCode,
                e.LastStderrLines.Count > 0 ? $". Last output: {e.LastStderrLines[^1]}" : string.Empty);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Task[] stopping;
        lock (_stopping)
        {
            stopping = [.. _stopping];
        }

        await Task.WhenAll([.. _workers.Keys.Select(id => _processes.StopAsync(id, StopDrain)), .. stopping])
            .ConfigureAwait(false);
        await _processes.DisposeAsync().ConfigureAwait(false);
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "{Endpoint}: starting worker {WorkerId} (pid {Pid})")]
        public static partial void Starting(ILogger logger, string endpoint, string workerId, int pid);

        [LoggerMessage(2, LogLevel.Error, "{Endpoint}: worker {WorkerId} could not be started: {Message}")]
        public static partial void StartFailed(ILogger logger, string endpoint, string workerId, string message);

        [LoggerMessage(3, LogLevel.Warning, "{Endpoint}: worker {WorkerId} exited with code {ExitCode}{Last}")]
        public static partial void Exited(ILogger logger, string endpoint, string workerId, int exitCode, string last);
    }
}

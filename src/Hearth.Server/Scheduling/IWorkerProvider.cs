using Hearth.Core.Endpoints;
using Hearth.Core.Placement;
using Hearth.Server.Admin;

namespace Hearth.Server.Scheduling;

/// <summary>
/// Where the <see cref="Scheduler"/>'s workers run: local processes (<c>dev</c>, one host) or node agents
/// (<c>serve</c> with <c>hearth node</c>). The scheduler decides what runs where; a provider carries it out and reports
/// what runs and what exited. It never restarts a worker on its own.
/// </summary>
public interface IWorkerProvider
{
    /// <summary>The nodes to place on, the workers started and not yet gone, and the exits since the last
    /// read.</summary>
    /// <param name="now">The current time.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>What runs now.</returns>
    Task<Fleet> ReadAsync(DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// Starts a placed worker. A worker that cannot start is reported as an exit with code -1 and the error, not
    /// thrown.
    /// </summary>
    /// <param name="order">The worker, its endpoint and its placement.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>Completes when the worker is listed by <see cref="ReadAsync"/> (or its failure is reported).</returns>
    Task StartAsync(WorkerOrder order, CancellationToken cancellationToken);

    /// <summary>Stops a worker after it finishes its jobs (scale-down).</summary>
    /// <param name="workerId">The worker.</param>
    /// <param name="cancellationToken">Cancels the request, not the drain.</param>
    /// <returns>Completes when the stop was ordered.</returns>
    Task StopAsync(string workerId, CancellationToken cancellationToken);

    /// <summary>
    /// Kills a worker at once (a runaway). It stays listed, holding its cards, until it has exited; its exit is
    /// reported as requested.
    /// </summary>
    /// <param name="workerId">The worker.</param>
    /// <param name="reason">Why, for the people reading the node's output.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>False when the worker is not there (or already being killed).</returns>
    Task<bool> KillAsync(string workerId, string reason, CancellationToken cancellationToken);

    /// <summary>The endpoint's volume as this provider keeps it, for the admin API; null when it has none
    /// here.</summary>
    /// <param name="spec">The endpoint.</param>
    /// <returns>The volume, or null.</returns>
    VolumeInfo? Volume(EndpointSpec spec);
}

/// <summary>What a <see cref="IWorkerProvider"/> runs at one moment.</summary>
/// <param name="Nodes">The live nodes' inventories (the one local node in <c>dev</c>).</param>
/// <param name="Workers">Workers started and not yet gone, killed ones included until they exit.</param>
/// <param name="Exits">Workers that exited since the previous read.</param>
public sealed record Fleet(IReadOnlyList<NodeInventory> Nodes, IReadOnlyList<FleetWorker> Workers,
    IReadOnlyList<FleetExit> Exits);

/// <summary>One worker a provider runs.</summary>
/// <param name="WorkerId">Its id (<c>RUNPOD_POD_ID</c>).</param>
/// <param name="Endpoint">Its endpoint.</param>
/// <param name="Node">The node it runs on.</param>
/// <param name="GpuIndexes">The cards it holds on that node.</param>
/// <param name="BytesPerGpu">VRAM it reserves per card; null = whole cards.</param>
/// <param name="StartedAt">When the scheduler ordered it.</param>
/// <param name="Leaving">Why it is going (killed, or draining after a scale-down): it no longer counts, but keeps
/// its cards until it has exited.</param>
/// <param name="ProcessId">Its process id, when this host runs it.</param>
public sealed record FleetWorker(string WorkerId, string Endpoint, string Node, IReadOnlyList<int> GpuIndexes,
    long? BytesPerGpu, DateTimeOffset StartedAt, string? Leaving = null, int? ProcessId = null);

/// <summary>A worker that ended.</summary>
/// <param name="WorkerId">The worker.</param>
/// <param name="Endpoint">Its endpoint.</param>
/// <param name="ExitCode">Its exit code; -1 when it could not be started.</param>
/// <param name="LastLines">Its last output lines (stderr), oldest first; the error when it could not start.</param>
/// <param name="Requested">Whether it was asked to stop (scale-down, kill); false means it exited on its own.</param>
public sealed record FleetExit(string WorkerId, string Endpoint, int ExitCode, IReadOnlyList<string> LastLines,
    bool Requested);

/// <summary>A placed worker the scheduler wants started.</summary>
/// <param name="WorkerId">Its new id.</param>
/// <param name="Endpoint">Its endpoint.</param>
/// <param name="Node">The node chosen.</param>
/// <param name="GpuIndexes">The cards chosen on that node (none for CPU workers).</param>
/// <param name="BytesPerGpu">VRAM reserved per card; null = whole cards.</param>
/// <param name="Environment">The endpoint's variables and the placement's (cards, CPU fallback).</param>
/// <param name="At">When it was ordered.</param>
public sealed record WorkerOrder(
    string WorkerId, ScheduledEndpoint Endpoint, string Node, IReadOnlyList<int> GpuIndexes,
    long? BytesPerGpu, IReadOnlyDictionary<string, string> Environment, DateTimeOffset At);

/// <summary>An endpoint the scheduler runs workers for.</summary>
/// <param name="Spec">Its definition.</param>
/// <param name="WorkingDirectory">Where its <c>command:</c> runs from (its YAML file's folder); null for code.</param>
/// <param name="BytesPerGpu">VRAM per card its workers reserve (from its model); null = whole cards.</param>
public sealed record ScheduledEndpoint(EndpointSpec Spec, string? WorkingDirectory, long? BytesPerGpu = null);

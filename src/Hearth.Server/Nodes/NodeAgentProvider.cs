using Hearth.Core.Endpoints;
using Hearth.Server.Admin;
using Hearth.Server.Scheduling;
using Hearth.Store.Nodes;
using Microsoft.Extensions.Logging;

namespace Hearth.Server.Nodes;

/// <summary>
/// The scheduler's workers on node agents (<c>serve</c> + <c>hearth node</c>): a worker is an assignment in the
/// <see cref="NodeRegistry"/>, which its node's agent picks up and runs. Nodes whose heartbeat is older than
/// <paramref name="lostAfter"/> are marked lost and their workers dropped (counted lost; their jobs are requeued by
/// lease expiry). Exits come from the nodes' heartbeats.
/// </summary>
/// <param name="registry">Nodes and assignments.</param>
/// <param name="lostAfter">How long a node may stay silent before it is lost.</param>
/// <param name="logger">Receives lost nodes.</param>
public sealed partial class NodeAgentProvider(
    NodeRegistry registry, TimeSpan lostAfter, ILogger<NodeAgentProvider> logger) : IWorkerProvider
{
    /// <inheritdoc/>
    public async Task<Fleet> ReadAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var live = await MarkLostAsync(now, cancellationToken).ConfigureAwait(false);
        var (_, assignments) = await registry.AssignmentsAsync(cancellationToken).ConfigureAwait(false);
        var workers = new List<FleetWorker>();
        foreach (var a in assignments)
        {
            if (!live.ContainsKey(a.Node))
            {
                await registry.UnassignAsync(a.WorkerId, a.Node, cancellationToken).ConfigureAwait(false);
                continue; // its node is gone
            }

            workers.Add(new FleetWorker(a.WorkerId, a.Endpoint, a.Node, a.GpuIndexes, a.BytesPerGpu,
                DateTimeOffset.FromUnixTimeMilliseconds(a.CreatedMs), a.Killed));
        }

        var exits = await registry.TakeExitsAsync(cancellationToken).ConfigureAwait(false);
        return new Fleet([.. live.Values], workers,
            [.. exits.Select(e => new FleetExit(e.WorkerId, e.Endpoint, e.ExitCode, e.LastLines, e.Requested))]);
    }

    /// <inheritdoc/>
    public Task StartAsync(WorkerOrder order, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(order);
        var spec = order.Endpoint.Spec;
        return registry.AssignAsync(new WorkerAssignment(order.WorkerId, spec.Name, order.Node, order.GpuIndexes,
            order.BytesPerGpu, spec.Command, order.Endpoint.WorkingDirectory, order.Environment,
            order.At.ToUnixTimeMilliseconds()), cancellationToken);
    }

    /// <inheritdoc/>
    public Task StopAsync(string workerId, CancellationToken cancellationToken) =>
        registry.UnassignAsync(workerId, null, cancellationToken);

    /// <inheritdoc/>
    public Task<bool> KillAsync(string workerId, string reason, CancellationToken cancellationToken) =>
        registry.KillAsync(workerId, reason, cancellationToken);

    /// <inheritdoc/>
    public VolumeInfo? Volume(EndpointSpec spec) => null; // volumes live on the nodes

    private async Task<Dictionary<string, Core.Placement.NodeInventory>> MarkLostAsync(
        DateTimeOffset now, CancellationToken cancellationToken)
    {
        var live = new Dictionary<string, Core.Placement.NodeInventory>(StringComparer.Ordinal);
        var nowMs = now.ToUnixTimeMilliseconds();
        foreach (var node in await registry.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            if (node.Lost)
            {
                continue;
            }

            var silent = TimeSpan.FromMilliseconds(nowMs - node.LastSeenMs);
            if (silent <= lostAfter)
            {
                live[node.Name] = node.Inventory with { NodeId = node.Name };
                continue;
            }

            if (await registry.MarkLostAsync(
                    node.Name, nowMs - (long)lostAfter.TotalMilliseconds, nowMs, cancellationToken)
                .ConfigureAwait(false) is { } dropped)
            {
                Log.Lost(logger, node.Name, silent.TotalSeconds, lostAfter.TotalSeconds,
                    dropped.Count == 0 ? "none" : string.Join(", ", dropped));
            }
        }

        return live;
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning,
            "node {Node} lost: no heartbeat for {SilentSeconds:0.0} s (limit {LimitSeconds:0.#} s); "
            + "workers counted lost: {Workers}")]
        public static partial void Lost(
            ILogger logger, string node, double silentSeconds, double limitSeconds, string workers);
    }
}

using System.Security.Cryptography;
using Hearth.Core.Endpoints;
using Hearth.Core.Placement;
using Hearth.Core.Wire;

namespace Hearth.Server.Scheduling;

/// <summary>
/// The one placement adapter, for both modes: places a new worker with <see cref="Placer"/> across the provider's
/// nodes, VRAM-aware, counting the reservations of every listed worker (killed ones too, until they exit). GPU
/// endpoints get the tightest fitting cards on any node; CPU endpoints the node with the fewest workers. With
/// <paramref name="cpuFallback"/> (dev on a machine with no GPU and none declared), GPU endpoints run on CPU.
/// </summary>
/// <param name="cpuFallback">Whether GPU endpoints run on CPU (dev only).</param>
/// <param name="expand">Expands references in the endpoint's variables (e.g. <c>${HF_TOKEN}</c>).</param>
internal sealed class WorkerPlacement(bool cpuFallback, Func<string, string> expand)
{
    /// <summary>Whether GPU endpoints run on CPU here.</summary>
    public bool CpuFallback => cpuFallback;

    /// <summary>Places one worker of <paramref name="endpoint"/>, or says why it cannot run now.</summary>
    /// <param name="endpoint">The endpoint.</param>
    /// <param name="nodes">The live nodes.</param>
    /// <param name="workers">Every worker listed now, with those ordered earlier in this tick.</param>
    /// <param name="now">The current time.</param>
    /// <param name="protocol">The protocol its workers use now, when it is not the spec's.</param>
    /// <returns>The order, or the reason it is throttled.</returns>
    public (WorkerOrder? Order, string? Throttled) Place(ScheduledEndpoint endpoint, IReadOnlyList<NodeInventory> nodes,
        IReadOnlyList<FleetWorker> workers, DateTimeOffset now, WorkerProtocol? protocol = null)
    {
        var spec = endpoint.Spec;
        var workerId = $"{spec.Name}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}";
        var env = WorkerEnvironment.ForEndpoint(spec, expand, protocol);
        if (cpuFallback && !spec.IsCpu)
        {
            var node = nodes.Count > 0 ? nodes[0].NodeId : "local";
            WorkerEnvironment.AddGpus(env, [], []); // no card visible
            env[WorkerVariables.GpuFallback] = "cpu";
            return (new WorkerOrder(workerId, endpoint, node, [], null, env, now), null);
        }

        // Least-loaded first: CPU workers spread over nodes; GPU placement picks the tightest fit whatever the order.
        var ordered = nodes.OrderBy(n => workers.Count(w => w.Node == n.NodeId))
            .ThenBy(n => n.NodeId, StringComparer.Ordinal).ToList();
        var reservations = workers.Where(w => w.GpuIndexes.Count > 0)
            .Select(w => new GpuReservation(w.WorkerId, w.Node, w.GpuIndexes, w.BytesPerGpu)).ToList();
        var result = Placer.Place(new PlacementRequest(workerId, spec, endpoint.BytesPerGpu), ordered, reservations);
        if (result is Throttled throttled)
        {
            return (null, throttled.Reason);
        }

        var placed = (Placed)result;
        var on = ordered.First(n => n.NodeId == placed.NodeId);
        WorkerEnvironment.AddGpus(env, placed.GpuIndexes, [.. placed.GpuIndexes.Select(i => Name(on, i))]);
        return (new WorkerOrder(workerId, endpoint, placed.NodeId, placed.GpuIndexes,
            placed.Reservation?.BytesPerGpu, env, now), null);
    }

    /// <summary>The cards a worker holds, for the admin API (<c>0: NVIDIA A100 80GB PCIe</c>).</summary>
    /// <param name="worker">The worker.</param>
    /// <param name="nodes">The nodes.</param>
    /// <param name="isCpu">Whether its endpoint is a CPU endpoint.</param>
    /// <returns>The cards, the CPU fallback note, or null.</returns>
    public string? Gpus(FleetWorker worker, IReadOnlyList<NodeInventory> nodes, bool isCpu)
    {
        if (worker.GpuIndexes.Count == 0)
        {
            return cpuFallback && !isCpu ? "none (CPU fallback in dev)" : null;
        }

        var node = nodes.FirstOrDefault(n => n.NodeId == worker.Node);
        return string.Join(", ", worker.GpuIndexes.Select(i => node is null ? $"{i}" : $"{i}: {Name(node, i)}"));
    }

    /// <summary>GPU memory a worker reserves (whole cards count their full VRAM).</summary>
    /// <param name="worker">The worker.</param>
    /// <param name="nodes">The nodes.</param>
    /// <returns>Bytes reserved.</returns>
    public static long ReservedBytes(FleetWorker worker, IReadOnlyList<NodeInventory> nodes)
    {
        var node = nodes.FirstOrDefault(n => n.NodeId == worker.Node);
        return worker.GpuIndexes.Sum(i =>
            worker.BytesPerGpu ?? node?.Gpus.FirstOrDefault(g => g.Index == i)?.TotalBytes ?? 0);
    }

    private static string Name(NodeInventory node, int index) =>
        node.Gpus.FirstOrDefault(g => g.Index == index)?.Name ?? index.ToString(
            System.Globalization.CultureInfo.InvariantCulture);
}

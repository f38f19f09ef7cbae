using Hearth.Core.Endpoints;

namespace Hearth.Core.Placement;

/// <summary>The <c>Throttled</c> reasons: what the worker needs and what the nodes have, in one line.</summary>
public static partial class Placer
{
    private static string DatacenterReason(
        List<(string Owner, string Datacenter)> required, IReadOnlyList<NodeInventory> nodes, string what)
    {
        var where = string.Join(" and ", required.Select(r => $"{r.Owner} is in {r.Datacenter}"));
        var elsewhere = nodes.Where(n => required.Any(r => Canonical(n.Datacenter) != r.Datacenter))
            .Select(n => $"{n.NodeId} in {Canonical(n.Datacenter) ?? "no datacenter"}");
        return $"{where}; {what} (nodes: {string.Join(", ", elsewhere)})";
    }

    private static string NoFitReason(
        PlacementRequest request, IReadOnlyList<NodeInventory> nodes, IReadOnlyList<GpuReservation> existing)
    {
        var entries = request.Spec.Gpu;
        var wanted = string.Join(" or ", entries.Select(e => e == GpuCatalog.Any ? "any GPU" : e));
        var matching = nodes
            .SelectMany(n => Cards(n, existing).Select(c => (Node: n, Card: c)))
            .Where(x => entries.Any(e => Matches(e, x.Card.Device)))
            .ToList();
        if (matching.Count == 0)
        {
            var have = nodes.SelectMany(n => n.Gpus).GroupBy(g => g.Name).Select(g => $"{g.Count()} × {g.Key}")
                .ToList();
            return $"needs {wanted}; no node has one (GPUs: {(have.Count == 0 ? "none" : string.Join(", ", have))})";
        }

        var count = Math.Max(1, request.Spec.GpuCount);
        var fittingPerNode = matching
            .Where(x => Fits(x.Card, request.BytesPerGpu))
            .GroupBy(x => x.Node.NodeId)
            .Select(g => (NodeId: g.Key, Count: g.Count()))
            .OrderByDescending(g => g.Count)
            .FirstOrDefault();
        if (fittingPerNode.Count > 0)
        {
            return $"needs {count} × {wanted} on one node; node {fittingPerNode.NodeId} has {fittingPerNode.Count}";
        }

        if (request.BytesPerGpu is not { } bytes)
        {
            return $"needs a whole {wanted} per worker; all {matching.Count} are in use";
        }

        var largest = matching.OrderByDescending(x => x.Card.Free).First().Card;
        var per = count == 1 ? "worker" : "GPU";
        return $"needs {GpuNames.FormatGiB(bytes)} per {per}; largest free: {GpuNames.FormatGiB(largest.Free)} "
            + $"({largest.Device.Name})";
    }
}

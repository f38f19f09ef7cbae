using Hearth.Core.Endpoints;

namespace Hearth.Core.Placement;

/// <summary>
/// Chooses the node and cards a worker runs on (DESIGN.md §6). A worker only goes onto cards whose free VRAM
/// (capacity − memory others use − reservations) holds its whole reservation, so a session never starts on a GPU
/// it will outgrow. The endpoint's GPU entries are tried in priority order; within an entry the tightest fit wins,
/// so big cards stay free for big workers. <c>gpu_count</c> cards must all be on one node. Pure: the caller records
/// the returned reservation.
/// </summary>
public static partial class Placer
{
    /// <summary>Places one worker, or says why it cannot run now.</summary>
    /// <param name="request">The worker, its endpoint and its VRAM reservation per card.</param>
    /// <param name="nodes">Every node's inventory.</param>
    /// <param name="existing">Reservations already held by running or starting workers.</param>
    /// <returns><see cref="Placed"/> with the node and cards, or <see cref="Throttled"/> with the reason.</returns>
    public static PlacementResult Place(
        PlacementRequest request, IReadOnlyList<NodeInventory> nodes, IReadOnlyList<GpuReservation> existing)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(nodes);
        ArgumentNullException.ThrowIfNull(existing);
        if (nodes.Count == 0)
        {
            return new Throttled("no node to run on");
        }

        var required = RequiredDatacenters(request.Spec);
        var inDatacenter = nodes.Where(n => required.All(r => Canonical(n.Datacenter) == r.Datacenter)).ToList();
        if (request.Spec.IsCpu)
        {
            return inDatacenter.Count > 0
                ? new Placed(inDatacenter[0].NodeId, [], null)
                : new Throttled(DatacenterReason(required, nodes, "no node is there"));
        }

        var placed = TryPlace(request, inDatacenter, existing);
        if (placed is not null)
        {
            return placed;
        }

        // Say "wrong datacenter" only when that is what stops it: no node there, or a node elsewhere would fit.
        if (required.Count > 0 && (inDatacenter.Count == 0 || TryPlace(request, nodes, existing) is not null))
        {
            return new Throttled(DatacenterReason(required, nodes, "no node with a fitting GPU is there"));
        }

        return new Throttled(NoFitReason(request, inDatacenter, existing));
    }

    private static Placed? TryPlace(
        PlacementRequest request, IReadOnlyList<NodeInventory> nodes, IReadOnlyList<GpuReservation> existing)
    {
        var count = Math.Max(1, request.Spec.GpuCount);
        foreach (var entry in request.Spec.Gpu)
        {
            Placed? best = null;
            var bestScore = long.MaxValue;
            foreach (var node in nodes)
            {
                var fitting = Cards(node, existing)
                    .Where(c => Matches(entry, c.Device) && Fits(c, request.BytesPerGpu))
                    .OrderBy(c => c.Free)
                    .ThenBy(c => c.Device.Index)
                    .Take(count)
                    .ToList();
                var score = fitting.Sum(c => c.Free);
                if (fitting.Count == count && score < bestScore)
                {
                    int[] indexes = [.. fitting.Select(c => c.Device.Index).Order()];
                    best = new Placed(node.NodeId, indexes,
                        new GpuReservation(request.WorkerId, node.NodeId, indexes, request.BytesPerGpu));
                    bestScore = score;
                }
            }

            if (best is not null)
            {
                return best;
            }
        }

        return null;
    }

    /// <summary>A card with what is left of it after others' use and every reservation on it.</summary>
    private readonly record struct Card(GpuDevice Device, long Free, bool Held, bool HeldWhole);

    private static IEnumerable<Card> Cards(NodeInventory node, IReadOnlyList<GpuReservation> existing)
    {
        foreach (var device in node.Gpus)
        {
            var on = existing.Where(r => r.NodeId == node.NodeId && r.GpuIndexes.Contains(device.Index)).ToList();
            var whole = on.Exists(r => r.BytesPerGpu is null);
            var free = whole ? 0 : device.TotalBytes - device.UsedBytes - on.Sum(r => r.BytesPerGpu ?? 0);
            yield return new Card(device, Math.Max(0, free), on.Count > 0, whole);
        }
    }

    // An exclusive worker needs an untouched card; a sized one needs its whole reservation free.
    private static bool Fits(Card card, long? bytesPerGpu) =>
        bytesPerGpu is { } bytes ? !card.HeldWhole && card.Free >= bytes : !card.Held;

    private static bool Matches(string entry, GpuDevice device) =>
        entry == GpuCatalog.Any || GpuCatalog.Expand(entry).Any(t => t.Id == device.Name);

    private static List<(string Owner, string Datacenter)> RequiredDatacenters(EndpointSpec spec)
    {
        var required = new List<(string Owner, string Datacenter)>();
        if (spec.Volume is { Datacenter: { } volumeDc } volume)
        {
            required.Add(($"volume {volume.Name}", Canonical(volumeDc)!));
        }

        if (spec.Datacenter is { } endpointDc)
        {
            required.Add(($"endpoint {spec.Name}", Canonical(endpointDc)!));
        }

        return required;
    }

    private static string? Canonical(string? datacenter) =>
        datacenter is null ? null : DataCenters.Normalize(datacenter) ?? datacenter.Trim().ToUpperInvariant();
}

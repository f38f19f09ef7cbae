namespace Hearth.Core.Placement;

/// <summary>The outcome of <see cref="Placer.Place"/>: <see cref="Placed"/> or <see cref="Throttled"/>.</summary>
public abstract record PlacementResult
{
    private protected PlacementResult()
    {
    }
}

/// <summary>The worker has a place.</summary>
/// <param name="NodeId">The node to start it on.</param>
/// <param name="GpuIndexes">Its cards' device indexes; empty for a CPU worker.</param>
/// <param name="Reservation">What to record so later placements see these cards as taken; null for a CPU
/// worker.</param>
public sealed record Placed(string NodeId, IReadOnlyList<int> GpuIndexes, GpuReservation? Reservation) : PlacementResult
{
    /// <summary>The worker's <c>CUDA_VISIBLE_DEVICES</c>, e.g. <c>0,1</c>; empty for a CPU worker.</summary>
    public string CudaVisibleDevices => string.Join(',', GpuIndexes);
}

/// <summary>Nothing fits: the worker is not started and the endpoint shows <c>Throttled</c> with this reason.</summary>
/// <param name="Reason">Why, for people, e.g.
/// <c>needs 52.3 GiB per worker; largest free: 24.0 GiB (NVIDIA GeForce RTX 4090)</c>.</param>
public sealed record Throttled(string Reason) : PlacementResult;

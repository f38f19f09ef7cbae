namespace Hearth.Core.Placement;

/// <summary>GPU memory held for one placed worker.</summary>
/// <param name="WorkerId">The worker holding it.</param>
/// <param name="NodeId">The node its cards are on.</param>
/// <param name="GpuIndexes">The device indexes it holds.</param>
/// <param name="BytesPerGpu">Bytes held on each of those cards; null means each card is held whole (exclusive).</param>
public sealed record GpuReservation(string WorkerId, string NodeId, IReadOnlyList<int> GpuIndexes, long? BytesPerGpu);

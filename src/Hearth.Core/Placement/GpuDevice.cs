namespace Hearth.Core.Placement;

/// <summary>One GPU on a node, as <c>nvidia-smi</c> reports it or as declared.</summary>
/// <param name="Index">The CUDA device index (what <c>CUDA_VISIBLE_DEVICES</c> names).</param>
/// <param name="Uuid">The device UUID (<c>GPU-…</c>), or a synthetic <c>declared-N</c> for declared
/// inventories.</param>
/// <param name="Name">The catalog GPU type id when the reported name maps to one (see
/// <see cref="GpuNames.ToCatalogId"/>); the raw name otherwise.</param>
/// <param name="TotalBytes">Memory capacity in bytes.</param>
/// <param name="UsedBytes">Memory already in use when the inventory was taken (by processes Hearth did not start), in
/// bytes.</param>
public sealed record GpuDevice(int Index, string Uuid, string Name, long TotalBytes, long UsedBytes);

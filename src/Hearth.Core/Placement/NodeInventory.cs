namespace Hearth.Core.Placement;

/// <summary>What one node offers to workers.</summary>
/// <param name="NodeId">The node's id (its host name by default).</param>
/// <param name="Datacenter">The data center id it sits in (canonical spelling, e.g. <c>EU-RO-1</c>); null when not
/// declared.</param>
/// <param name="CpuCores">Logical CPU cores.</param>
/// <param name="MemoryBytes">Memory available to processes, in bytes.</param>
/// <param name="Gpus">Its GPUs; empty for a CPU-only node.</param>
public sealed record NodeInventory(
    string NodeId, string? Datacenter, int CpuCores, long MemoryBytes, IReadOnlyList<GpuDevice> Gpus);

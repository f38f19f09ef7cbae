using Hearth.Core.Endpoints;
using Hearth.Core.Placement;

namespace Hearth.Scaling.Gpus;

/// <summary>Builds this node's <see cref="NodeInventory"/> from a probe or a declared inventory.</summary>
public static class LocalInventory
{
    /// <summary>Builds the inventory from an <c>nvidia-smi</c> probe.</summary>
    /// <param name="probe">What the probe found.</param>
    /// <param name="datacenter">The node's data center (any spelling <see cref="DataCenters.Normalize"/> accepts); null
    /// when not declared.</param>
    /// <param name="nodeId">The node's id. Default <see cref="Environment.MachineName"/>.</param>
    /// <param name="cpuCores">Logical cores. Default <see cref="Environment.ProcessorCount"/>.</param>
    /// <param name="memoryBytes">Memory for processes. Default <see cref="GC.GetGCMemoryInfo()"/>'s
    /// <c>TotalAvailableMemoryBytes</c>.</param>
    /// <returns>The node's inventory.</returns>
    public static NodeInventory Build(
        GpuProbeResult probe, string? datacenter, string? nodeId = null, int? cpuCores = null, long? memoryBytes = null)
    {
        ArgumentNullException.ThrowIfNull(probe);
        return Build(probe.Gpus, datacenter, nodeId, cpuCores, memoryBytes);
    }

    /// <summary>Builds the inventory from a list of GPUs (e.g. <see cref="DeclaredGpus.Parse"/>'s).</summary>
    /// <param name="gpus">The node's GPUs.</param>
    /// <param name="datacenter">The node's data center; null when not declared.</param>
    /// <param name="nodeId">The node's id. Default <see cref="Environment.MachineName"/>.</param>
    /// <param name="cpuCores">Logical cores. Default <see cref="Environment.ProcessorCount"/>.</param>
    /// <param name="memoryBytes">Memory for processes. Default <see cref="GC.GetGCMemoryInfo()"/>'s
    /// <c>TotalAvailableMemoryBytes</c>.</param>
    /// <returns>The node's inventory.</returns>
    /// <exception cref="ArgumentException">The data center is not a known id.</exception>
    public static NodeInventory Build(IReadOnlyList<GpuDevice> gpus, string? datacenter, string? nodeId = null,
        int? cpuCores = null, long? memoryBytes = null)
    {
        ArgumentNullException.ThrowIfNull(gpus);
        string? canonical = null;
        if (datacenter is not null)
        {
            canonical = DataCenters.Normalize(datacenter) ?? throw new ArgumentException(
                $"datacenter '{datacenter}' is not a known data "
                + $"center; use one of {string.Join(", ", DataCenters.All)}."
                + ClosestName.Hint(datacenter, DataCenters.All),
                nameof(datacenter));
        }

        return new NodeInventory(
            nodeId ?? Environment.MachineName,
            canonical,
            cpuCores ?? Environment.ProcessorCount,
            memoryBytes ?? GC.GetGCMemoryInfo().TotalAvailableMemoryBytes,
            gpus);
    }
}

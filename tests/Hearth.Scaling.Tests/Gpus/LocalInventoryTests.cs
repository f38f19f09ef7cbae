using Hearth.Core.Endpoints;
using Hearth.Core.Placement;
using Hearth.Scaling.Gpus;

namespace Hearth.Scaling.Tests.Gpus;

public sealed class LocalInventoryTests
{
    [Fact]
    public void A_declared_inventory_places_without_a_gpu()
    {
        var node = LocalInventory.Build(DeclaredGpus.Parse("NVIDIA A100 80GB PCIe:2, NVIDIA GeForce RTX 4090:4"), "eu_ro_1", "gpu-1");
        var request = new PlacementRequest("w1", new EndpointSpec { Name = "agent", Gpu = ["any"] }, 20L << 30);

        var placed = Assert.IsType<Placed>(Placer.Place(request, [node], []));

        Assert.Equal("EU-RO-1", node.Datacenter);
        Assert.Equal(("gpu-1", "2"), (placed.NodeId, placed.CudaVisibleDevices));
    }

    [Fact]
    public void Defaults_come_from_this_machine()
    {
        var node = LocalInventory.Build(new GpuProbeResult([], NvidiaSmi.NotFound), null);

        Assert.Equal(Environment.MachineName, node.NodeId);
        Assert.Equal(Environment.ProcessorCount, node.CpuCores);
        Assert.True(node.MemoryBytes > 0);
        Assert.Null(node.Datacenter);
        Assert.Empty(node.Gpus);
    }

    [Fact]
    public void An_unknown_datacenter_is_rejected_with_a_hint()
    {
        var error = Assert.Throws<ArgumentException>(() => LocalInventory.Build([], "EU-RO1"));

        Assert.Contains("Did you mean 'EU-RO-1'?", error.Message, StringComparison.Ordinal);
    }
}

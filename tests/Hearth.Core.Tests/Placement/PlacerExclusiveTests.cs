using Hearth.Core.Endpoints;
using Hearth.Core.Placement;
using static Hearth.Core.Tests.Placement.Inventory;

namespace Hearth.Core.Tests.Placement;

public sealed class PlacerExclusiveTests
{
    [Fact]
    public void Without_a_model_a_worker_holds_the_card_whole()
    {
        var nodes = new[] { Node("gpu-1", A100, A100) };
        var first = AssertPlaced(Placer.Place(Request([A100], null), nodes, []));
        Assert.Null(first.Reservation!.BytesPerGpu);

        var second = AssertPlaced(Placer.Place(Request([A100], null, worker: "w2"), nodes, [first.Reservation]));
        Assert.NotEqual(first.GpuIndexes, second.GpuIndexes);

        var reason = AssertThrottled(Placer.Place(Request([A100], 1, worker: "w3"), nodes, [first.Reservation, second.Reservation!]));
        Assert.Equal($"needs 1.0 GiB per worker; largest free: 0.0 GiB ({A100})", reason);
    }

    [Fact]
    public void An_exclusive_worker_never_joins_a_shared_card()
    {
        var nodes = new[] { Node("gpu-1", A100) };
        var sized = AssertPlaced(Placer.Place(Request([A100], 10), nodes, []));

        var reason = AssertThrottled(Placer.Place(Request([A100], null, worker: "w2"), nodes, [sized.Reservation!]));

        Assert.Equal($"needs a whole {A100} per worker; all 1 are in use", reason);
    }

    [Fact]
    public void Cpu_endpoints_are_placed_without_gpus()
    {
        var nodes = new[] { NodeIn("cpu-1", "EU-RO-1"), Node("gpu-1", A100) };
        var request = new PlacementRequest("w1", new EndpointSpec { Name = "tools", Cpu = "cpu5c-4-8" });

        var placed = AssertPlaced(Placer.Place(request, nodes, []));

        Assert.Equal("cpu-1", placed.NodeId);
        Assert.Empty(placed.GpuIndexes);
        Assert.Equal(string.Empty, placed.CudaVisibleDevices);
        Assert.Null(placed.Reservation);
    }

    [Fact]
    public void No_nodes_is_throttled()
    {
        Assert.Equal("no node to run on", AssertThrottled(Placer.Place(Request(["any"], 1), [], [])));
    }
}

using Hearth.Core.Placement;
using static Hearth.Core.Tests.Placement.Inventory;

namespace Hearth.Core.Tests.Placement;

public sealed class PlacerTests
{
    [Fact]
    public void A_pinned_type_goes_only_onto_that_type()
    {
        var nodes = new[] { Node("gpu-1", Rtx4090, A100, H100) };

        var placed = AssertPlaced(Placer.Place(Request([H100], 40), nodes, []));

        Assert.Equal("gpu-1", placed.NodeId);
        Assert.Equal([2], placed.GpuIndexes);
        Assert.Equal("2", placed.CudaVisibleDevices);
        var reservation = placed.Reservation!;
        Assert.Equal(("w1", "gpu-1", GiB(40)), (reservation.WorkerId, reservation.NodeId, reservation.BytesPerGpu!.Value));
        Assert.Equal([2], reservation.GpuIndexes);
    }

    [Fact]
    public void Priority_order_is_honoured_then_falls_back_down_the_list()
    {
        var nodes = new[] { Node("gpu-1", A100, H100) };

        var first = AssertPlaced(Placer.Place(Request([H100, A100], 60), nodes, []));
        Assert.Equal([1], first.GpuIndexes);

        var second = AssertPlaced(Placer.Place(Request([H100, A100], 60, worker: "w2"), nodes, [first.Reservation!]));
        Assert.Equal([0], second.GpuIndexes);
    }

    [Fact]
    public void A_pool_expands_to_its_members()
    {
        var nodes = new[] { Node("gpu-1", Rtx4090, "NVIDIA A100-SXM4-80GB") };

        var placed = AssertPlaced(Placer.Place(Request(["AMPERE_80"], 10), nodes, []));

        Assert.Equal([1], placed.GpuIndexes);
    }

    [Fact]
    public void Any_picks_a_card_that_fits_and_never_one_that_does_not()
    {
        var nodes = new[] { Node("gpu-1", A4000, Rtx4090) };

        var placed = AssertPlaced(Placer.Place(Request(["any"], 20), nodes, []));
        Assert.Equal([1], placed.GpuIndexes);

        var reason = AssertThrottled(Placer.Place(Request(["any"], 20, worker: "w2"), nodes, [placed.Reservation!]));
        Assert.Equal("needs 20.0 GiB per worker; largest free: 16.0 GiB (NVIDIA RTX A4000)", reason);
    }

    [Fact]
    public void Best_fit_leaves_the_big_card_free()
    {
        var nodes = new[] { Node("gpu-1", H100, Rtx4090), Node("gpu-2", A4000) };

        var placed = AssertPlaced(Placer.Place(Request(["any"], 12), nodes, []));

        Assert.Equal("gpu-2", placed.NodeId);
        Assert.Equal([0], placed.GpuIndexes);
    }

    [Fact]
    public void Multi_gpu_needs_that_many_fitting_cards_on_one_node()
    {
        var nodes = new[] { Node("gpu-1", A100), Node("gpu-2", A100, Rtx4090, A100) };

        var placed = AssertPlaced(Placer.Place(Request([A100], 70, gpuCount: 2), nodes, []));

        Assert.Equal("gpu-2", placed.NodeId);
        Assert.Equal("0,2", placed.CudaVisibleDevices);
        Assert.Equal([0, 2], placed.Reservation!.GpuIndexes);
    }

    [Fact]
    public void Multi_gpu_is_never_split_across_nodes()
    {
        var nodes = new[] { Node("gpu-1", A100), Node("gpu-2", A100) };

        var reason = AssertThrottled(Placer.Place(Request([A100], 70, gpuCount: 2), nodes, []));

        Assert.Equal($"needs 2 × {A100} on one node; node gpu-1 has 1", reason);
    }

    [Fact]
    public void Two_workers_share_a_card_only_when_both_fit()
    {
        var nodes = new[] { Node("gpu-1", A100, A100) };
        var first = AssertPlaced(Placer.Place(Request([A100], 30, worker: "w1"), nodes, []));
        var second = AssertPlaced(Placer.Place(Request([A100], 30, worker: "w2"), nodes, [first.Reservation!]));
        Assert.Equal(first.GpuIndexes, second.GpuIndexes);

        var third = AssertPlaced(Placer.Place(Request([A100], 30, worker: "w3"), nodes, [first.Reservation!, second.Reservation!]));
        Assert.NotEqual(first.GpuIndexes, third.GpuIndexes);

        GpuReservation[] held = [first.Reservation!, second.Reservation!, third.Reservation!, new("w4", "gpu-1", third.GpuIndexes, GiB(30))];
        var reason = AssertThrottled(Placer.Place(Request([A100], 30, worker: "w5"), nodes, held));
        Assert.Equal($"needs 30.0 GiB per worker; largest free: 20.0 GiB ({A100})", reason);
    }

    [Fact]
    public void No_fit_is_throttled_with_the_reason()
    {
        var nodes = new[] { Node("gpu-1", Rtx4090, Rtx4090) };

        var reason = AssertThrottled(Placer.Place(Request(["any"], 52.3), nodes, []));

        Assert.Equal("needs 52.3 GiB per worker; largest free: 24.0 GiB (NVIDIA GeForce RTX 4090)", reason);
    }

    [Fact]
    public void Memory_in_use_by_others_counts_against_free()
    {
        var busy = new GpuDevice(0, "GPU-x", A100, GiB(80), GiB(50));
        var nodes = new[] { new NodeInventory("gpu-1", null, 8, GiB(64), [busy]) };

        var reason = AssertThrottled(Placer.Place(Request([A100], 40), nodes, []));

        Assert.Equal($"needs 40.0 GiB per worker; largest free: 30.0 GiB ({A100})", reason);
    }

    [Fact]
    public void A_missing_type_names_what_the_nodes_have()
    {
        var nodes = new[] { Node("gpu-1", Rtx4090, Rtx4090) };

        var reason = AssertThrottled(Placer.Place(Request([H100, "AMPERE_80"], 10), nodes, []));

        Assert.Equal($"needs {H100} or AMPERE_80; no node has one (GPUs: 2 × {Rtx4090})", reason);
    }
}

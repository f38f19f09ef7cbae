using Hearth.Core.Endpoints;
using Hearth.Core.Placement;
using static Hearth.Core.Tests.Placement.Inventory;

namespace Hearth.Core.Tests.Placement;

public sealed class PlacerDatacenterTests
{
    private static PlacementRequest WithVolume(string? volumeDc, string? endpointDc = null) => new(
        "w1",
        new EndpointSpec { Name = "agent", Gpu = ["any"], Datacenter = endpointDc, Volume = new VolumeSpec("model-weights", Datacenter: volumeDc) },
        GiB(10));

    [Fact]
    public void A_volume_in_another_datacenter_is_throttled_naming_both()
    {
        var nodes = new[] { NodeIn("gpu-1", "EU-RO-1", A100) };

        var reason = AssertThrottled(Placer.Place(WithVolume("US-GA-2"), nodes, []));

        Assert.Equal("volume model-weights is in US-GA-2; no node with a fitting GPU is there (nodes: gpu-1 in EU-RO-1)", reason);
    }

    [Fact]
    public void The_volumes_datacenter_picks_the_node()
    {
        var nodes = new[] { NodeIn("gpu-1", "EU-RO-1", A100), NodeIn("gpu-2", "US-GA-2", A100) };

        var placed = AssertPlaced(Placer.Place(WithVolume("us_ga_2"), nodes, []));

        Assert.Equal("gpu-2", placed.NodeId);
    }

    [Fact]
    public void An_endpoint_datacenter_must_match_the_node()
    {
        var nodes = new[] { NodeIn("gpu-1", "EU-RO-1", A100), NodeIn("gpu-2", null, A100) };
        var request = Request(["any"], 10) with { Spec = new EndpointSpec { Name = "agent", Gpu = ["any"], Datacenter = "US-IL-1" } };

        var reason = AssertThrottled(Placer.Place(request, nodes, []));

        Assert.Equal("endpoint agent is in US-IL-1; no node with a fitting GPU is there (nodes: gpu-1 in EU-RO-1, gpu-2 in no datacenter)", reason);
    }

    [Fact]
    public void A_full_node_in_the_datacenter_blames_the_datacenter_when_one_elsewhere_fits()
    {
        var nodes = new[] { NodeIn("gpu-1", "US-GA-2", Rtx4090), NodeIn("gpu-2", "EU-RO-1", A100) };
        var request = WithVolume("US-GA-2") with { BytesPerGpu = GiB(40) };

        var reason = AssertThrottled(Placer.Place(request, nodes, []));

        Assert.Equal("volume model-weights is in US-GA-2; no node with a fitting GPU is there (nodes: gpu-2 in EU-RO-1)", reason);
    }

    [Fact]
    public void When_nothing_fits_anywhere_the_reason_is_the_fit()
    {
        var nodes = new[] { NodeIn("gpu-1", "US-GA-2", Rtx4090), NodeIn("gpu-2", "EU-RO-1", Rtx4090) };
        var request = WithVolume("US-GA-2") with { BytesPerGpu = GiB(40) };

        var reason = AssertThrottled(Placer.Place(request, nodes, []));

        Assert.Equal($"needs 40.0 GiB per worker; largest free: 24.0 GiB ({Rtx4090})", reason);
    }

    [Fact]
    public void Cpu_endpoints_respect_the_datacenter()
    {
        var nodes = new[] { NodeIn("cpu-1", "EU-RO-1"), NodeIn("cpu-2", "EU-CZ-1") };
        var spec = new EndpointSpec { Name = "tools", Datacenter = "eu-cz-1" };

        Assert.Equal("cpu-2", AssertPlaced(Placer.Place(new PlacementRequest("w1", spec), nodes, [])).NodeId);
        var reason = AssertThrottled(Placer.Place(new PlacementRequest("w1", spec with { Datacenter = "US-GA-2" }), nodes, []));
        Assert.Equal("endpoint tools is in US-GA-2; no node is there (nodes: cpu-1 in EU-RO-1, cpu-2 in EU-CZ-1)", reason);
    }
}

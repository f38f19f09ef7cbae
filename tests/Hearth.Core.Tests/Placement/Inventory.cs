using Hearth.Core.Endpoints;
using Hearth.Core.Placement;

namespace Hearth.Core.Tests.Placement;

/// <summary>Declared nodes and requests for placement tests: no GPU needed.</summary>
internal static class Inventory
{
    public const string A100 = "NVIDIA A100 80GB PCIe";
    public const string H100 = "NVIDIA H100 80GB HBM3";
    public const string Rtx4090 = "NVIDIA GeForce RTX 4090";
    public const string A4000 = "NVIDIA RTX A4000";

    public static long GiB(double value) => (long)(value * GpuNames.BytesPerGiB);

    /// <summary>A node whose cards are given as catalog type ids, indexed from 0, with nothing in use.</summary>
    public static NodeInventory Node(string id, params string[] gpus) => NodeIn(id, "EU-RO-1", gpus);

    public static NodeInventory NodeIn(string id, string? datacenter, params string[] gpus) =>
        new(id, datacenter, 16, GiB(64), [.. gpus.Select((name, i) => new GpuDevice(i, $"GPU-{id}-{i}", name, GpuNames.CatalogBytes(name)!.Value, 0))]);

    public static PlacementRequest Request(string[] gpu, double? gib, int gpuCount = 1, string worker = "w1") =>
        new(worker, new EndpointSpec { Name = "agent", Gpu = gpu, GpuCount = gpuCount }, gib is { } g ? GiB(g) : null);

    public static Placed AssertPlaced(PlacementResult result) =>
        result as Placed ?? throw new Xunit.Sdk.XunitException($"expected Placed, got {result}");

    public static string AssertThrottled(PlacementResult result) =>
        (result as Throttled ?? throw new Xunit.Sdk.XunitException($"expected Throttled, got {result}")).Reason;
}

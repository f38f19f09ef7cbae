using Hearth.App.Hosting;
using Hearth.Core.Endpoints;
using Hearth.Core.Placement;
using Hearth.Scaling.Gpus;

namespace Hearth.App.Gpus;

/// <summary>Builds this host's inventory for <c>dev</c>: declared with <c>--gpus</c>, or probed with
/// nvidia-smi.</summary>
internal static class GpuSetup
{
    public static async Task<(GpuHost? Host, string? Notice, IReadOnlyList<SpecProblem> Problems)> BuildAsync(
        AppSettings settings, IReadOnlyList<EndpointSpec> specs, CancellationToken cancellationToken)
    {
        var problems = new List<SpecProblem>();
        string? datacenter = null;
        if (settings.Datacenter is { } dc)
        {
            datacenter = DataCenters.Normalize(dc);
            if (datacenter is null)
            {
                problems.Add(new SpecProblem("--datacenter", dc, "This data center is not known.",
                    $"Use one of: {string.Join(", ", DataCenters.All)}."));
            }
        }

        if (settings.Gpus is { } declared && !string.Equals(declared, "auto", StringComparison.OrdinalIgnoreCase))
        {
            var (gpus, bad) = DeclaredGpus.Read(declared);
            problems.AddRange(bad.Select(b => new SpecProblem("--gpus", declared, b, "Write it as \"NVIDIA A100 80GB "
                + "PCIe:2, NVIDIA GeForce RTX 4090:4\" (GPU type ids from the catalog, each with a count).")));
            return problems.Count > 0
                ? (null, null, problems)
                : (new GpuHost(LocalInventory.Build(gpus, datacenter), CpuFallback: false), null, problems);
        }

        if (problems.Count > 0)
        {
            return (null, null, problems);
        }

        var probe = await NvidiaSmi.ProbeAsync(cancellationToken).ConfigureAwait(false);
        var node = LocalInventory.Build(probe, datacenter);
        if (node.Gpus.Count > 0)
        {
            return (new GpuHost(node, CpuFallback: false), null, problems);
        }

        // No GPU here: dev still runs GPU endpoints (on CPU) so their handlers can be developed; production placement
        // (hearth serve with node agents, or --gpus) stays strict.
        var gpuEndpoints = specs.Where(s => !s.IsCpu).Select(s => s.Name).ToList();
        var notice = gpuEndpoints.Count == 0 ? null
            : $"No GPU on this machine ({probe.Problem}): {string.Join(", ", gpuEndpoints)} run on CPU in dev. "
                + "Simulate an inventory with --gpus \"NVIDIA A100 80GB PCIe:1\".";
        return (new GpuHost(node, CpuFallback: true), notice, problems);
    }
}

/// <summary>This host as <c>dev</c> places on it: its inventory, and whether GPU endpoints run on CPU here.</summary>
/// <param name="Node">The host's inventory (declared or probed).</param>
/// <param name="CpuFallback">True when the host has no GPU and none was declared (dev only).</param>
internal sealed record GpuHost(NodeInventory Node, bool CpuFallback);

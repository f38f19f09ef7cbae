using Hearth.Core.Endpoints;

namespace Hearth.Core.Lint.Rules;

/// <summary>HL001: a GPU endpoint names specific GPU types, not <c>any</c> or a pool (seed: "GPU pinned").</summary>
internal sealed class GpuPinnedRule : EndpointLintRule
{
    public override string Id => "HL001";

    public override string Name => "gpu-pinned";

    protected override void Check(EndpointSpec spec, string path, ICollection<LintFinding> findings)
    {
        var gpu = spec.Gpu ?? [];
        if (spec.Cpu is not null || gpu.Count == 0)
        {
            return;
        }

        var index = -1;
        for (var i = 0; i < gpu.Count && index < 0; i++)
        {
            index = gpu[i] == GpuCatalog.Any || GpuCatalog.Pools.ContainsKey(gpu[i]) ? i : -1;
        }

        if (index < 0)
        {
            return;
        }

        var loose = gpu[index];

        var severity = spec.Latency switch
        {
            EndpointLatency.Realtime => LintSeverity.Error,
            EndpointLatency.Interactive => LintSeverity.Warning,
            _ => LintSeverity.Info,
        };
        var where = gpu.Count == 1 ? $"{path}.gpu" : $"{path}.gpu[{index}]";
        var what = loose == GpuCatalog.Any ? "gpu is 'any'" : $"gpu names the pool '{loose}'";
        Add(findings, severity, where, $"{what}, so the GPU type (and its memory) varies between runs",
            "a worker placed on a smaller GPU starts, makes progress, then runs out of memory and fails (seed "
            + "checklist: GPU pinned, not GpuGroup.ANY)",
            $"pin a GPU type with enough memory, e.g. gpu: \"{Example(loose)}\".");
    }

    // For 'any', the seed's pick for large models; for a pool, its largest member, so pinning never shrinks the memory
    // on offer.
    private static string Example(string loose) => loose == GpuCatalog.Any
        ? SeedLargeModelGpu
        : GpuCatalog.Expand(loose).OrderByDescending(t => t.VramGb).First().Id;

    private const string SeedLargeModelGpu = "NVIDIA A100 80GB PCIe";
}

namespace Hearth.Core.Endpoints;

/// <summary>Rules for what an endpoint runs on: gpu, cpu, gpu_count and datacenter.</summary>
internal static class ComputeRules
{
    public static void Check(EndpointSpec spec, string path, List<SpecProblem> problems)
    {
        var gpu = spec.Gpu ?? [];
        if (gpu.Count > 0 && spec.Cpu is not null)
        {
            problems.Add(new($"{path}.cpu", spec.Cpu, "an endpoint runs on GPU or CPU, not both",
                "remove either 'gpu' or 'cpu'."));
        }

        for (var i = 0; i < gpu.Count; i++)
        {
            CheckGpu(gpu[i], gpu.Count == 1 ? $"{path}.gpu" : $"{path}.gpu[{i}]", problems);
        }

        if (spec.Cpu is not null)
        {
            CheckCpu(spec.Cpu, $"{path}.cpu", problems);
        }

        if (spec.GpuCount is < 1 or > EndpointLimits.MaxGpuCount)
        {
            problems.Add(new($"{path}.gpu_count", Fmt(spec.GpuCount),
                $"gpu_count must be 1–{EndpointLimits.MaxGpuCount}",
                $"set gpu_count between 1 and {EndpointLimits.MaxGpuCount}, e.g. 1."));
        }
        else if (spec.GpuCount != 1 && gpu.Count == 0)
        {
            problems.Add(new($"{path}.gpu_count", Fmt(spec.GpuCount), "gpu_count only applies to GPU endpoints",
                "remove gpu_count, or declare a 'gpu'."));
        }

        if (spec.Datacenter is not null)
        {
            CheckDatacenter(spec.Datacenter, $"{path}.datacenter", problems);
        }
    }

    public static void CheckDatacenter(string value, string path, List<SpecProblem> problems)
    {
        if (DataCenters.Normalize(value) is not null)
        {
            return;
        }

        var closest = ClosestName.Find(value, DataCenters.All);
        var fix = closest is not null
            ? $"did you mean '{closest}'? Known data centers: {string.Join(", ", DataCenters.All)}."
            : $"use one of {string.Join(", ", DataCenters.All)}, or leave it out for any.";
        problems.Add(new(path, value, "unknown data center", fix));
    }

    private static void CheckGpu(string? value, string path, List<SpecProblem> problems)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            problems.Add(new(path, value, "GPU entry is empty",
                "name a GPU type (e.g. 'NVIDIA A100 80GB PCIe'), a pool (e.g. 'AMPERE_80') or 'any'."));
            return;
        }

        if (GpuCatalog.IsKnown(value))
        {
            return;
        }

        var closest = ClosestName.Find(value, GpuCatalog.AllNames);
        var fix = closest is not null
            ? $"did you mean '{closest}'?"
            : "use a GPU type id (e.g. 'NVIDIA GeForce RTX "
                + $"4090'), a pool id ({string.Join(", ", GpuCatalog.Pools.Keys)}) or 'any'.";
        problems.Add(new(path, value, "unknown GPU type or pool", fix));
    }

    private static void CheckCpu(string value, string path, List<SpecProblem> problems)
    {
        var offered = string.Join(", ", CpuInstanceTypes.All);
        if (!CpuInstanceTypes.IsWellFormed(value))
        {
            var closest = ClosestName.Find(value, CpuInstanceTypes.All);
            var hint = closest is not null ? $"did you mean '{closest}'? " : string.Empty;
            problems.Add(new(path, value, "CPU instance type must read cpu{gen}{class}-{vcpu}-{ram}, e.g. cpu5c-4-8",
                $"{hint}Offered types: {offered}."));
        }
        else if (!CpuInstanceTypes.IsKnown(value))
        {
            var closest = ClosestName.Find(value, CpuInstanceTypes.All);
            var hint = closest is not null ? $"did you mean '{closest}'? " : string.Empty;
            problems.Add(new(path, value, "no such CPU instance type is offered", $"{hint}Offered types: {offered}."));
        }
    }

    private static string Fmt(long value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

using System.Globalization;
using Hearth.Core.Placement;

namespace Hearth.Scaling.Gpus;

/// <summary>
/// Reads this machine's NVIDIA GPUs from <c>nvidia-smi --query-gpu=index,uuid,name,memory.total,memory.used
/// --format=csv,noheader,nounits</c>. Never throws for a missing binary, a missing GPU or a broken driver: those
/// give no GPUs and a <see cref="GpuProbeResult.Problem"/> saying why.
/// </summary>
public static partial class NvidiaSmi
{
    /// <summary>The arguments the probe passes to <c>nvidia-smi</c>.</summary>
    public static IReadOnlyList<string> Arguments { get; } = ["--query-gpu=index,uuid,name,memory.total,memory.used",
        "--format=csv,noheader,nounits"];

    private const string NotAvailable = "[N/A]";
    private const long BytesPerMiB = 1L << 20;
    private const string NoGpu = "nvidia-smi found no NVIDIA GPU";

    /// <summary>Parses the probe's output.</summary>
    /// <param name="stdout">What <c>nvidia-smi</c> wrote to standard output.</param>
    /// <param name="exitCode">Its exit code.</param>
    /// <param name="stderr">What it wrote to standard error.</param>
    /// <returns>The GPUs, with memory in bytes, and any problem.</returns>
    public static GpuProbeResult Parse(string stdout, int exitCode, string stderr)
    {
        stdout ??= string.Empty;
        stderr ??= string.Empty;

        // nvidia-smi prints this (exit 6) on a machine with a driver but no card.
        if ((stdout + stderr).Contains("No devices were found", StringComparison.OrdinalIgnoreCase))
        {
            return new GpuProbeResult([], NoGpu);
        }

        if (exitCode != 0)
        {
            var detail = FirstLine(stdout) ?? FirstLine(stderr) ?? "no output";
            return new GpuProbeResult([], $"nvidia-smi failed (exit {exitCode}): {detail}");
        }

        var gpus = new List<GpuDevice>();
        var problems = new List<string>();
        foreach (var line in stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (ParseRow(line, problems) is { } gpu)
            {
                gpus.Add(gpu);
            }
        }

        if (gpus.Count == 0 && problems.Count == 0)
        {
            problems.Add(NoGpu);
        }

        return new GpuProbeResult(gpus, problems.Count == 0 ? null : string.Join("; ", problems));
    }

    private static GpuDevice? ParseRow(string line, List<string> problems)
    {
        var fields = line.Split(',', StringSplitOptions.TrimEntries);
        if (fields.Length < 5
            || !int.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out var index))
        {
            problems.Add($"unreadable nvidia-smi line '{line}'");
            return null;
        }

        // A name with a comma in it would split; the memory columns are always the last two.
        var name = GpuNames.ToCatalogId(string.Join(", ", fields[2..^2]));
        var uuid = fields[1] is NotAvailable or "" ? $"gpu-{index}" : fields[1];
        var total = MiB(fields[^2]) ?? GpuNames.CatalogBytes(name);
        if (total is null)
        {
            problems.Add($"GPU {index} ({name}) reports no memory total; it is left out");
            return null;
        }

        return new GpuDevice(index, uuid, name, total.Value, MiB(fields[^1]) ?? 0);
    }

    private static long? MiB(string field) =>
        long.TryParse(field, NumberStyles.None, CultureInfo.InvariantCulture, out var mib) ? mib * BytesPerMiB : null;

    private static string? FirstLine(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
}

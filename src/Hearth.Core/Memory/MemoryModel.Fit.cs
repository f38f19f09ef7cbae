using Hearth.Core.Endpoints;

namespace Hearth.Core.Memory;

/// <content>Fitting an estimate to GPU types.</content>
public static partial class MemoryModel
{
    /// <summary>
    /// A GPU type's memory in bytes. Convention: the catalog's marketed "GB" figure is read as GiB (× 2^30), because
    /// that is what the cards report: nvidia-smi shows 81920 MiB for an A100 80GB, 81559 MiB for an H100 80GB HBM3
    /// and 24564 MiB for an RTX 4090 — within 0.5 % of 80 and 24 GiB, whereas 80 × 10^9 bytes would understate them
    /// by 7 %. (The H200's 141 GB is 140.4 GiB in nvidia-smi; the 0.4 % difference is well inside the runtime
    /// overhead.)
    /// </summary>
    /// <param name="gpu">The GPU type.</param>
    /// <returns>Its memory in bytes.</returns>
    public static long VramBytes(GpuTypeInfo gpu)
    {
        ArgumentNullException.ThrowIfNull(gpu);
        return gpu.VramGb * GiB;
    }

    /// <summary>How the estimate fits one card of <paramref name="gpu"/>.</summary>
    /// <param name="estimate">The worker's estimate.</param>
    /// <param name="gpu">The GPU type.</param>
    /// <returns>The fit at the estimate's concurrency.</returns>
    public static GpuFit Fit(MemoryEstimate estimate, GpuTypeInfo gpu)
    {
        ArgumentNullException.ThrowIfNull(estimate);
        var vram = VramBytes(gpu);
        var headroom = vram - estimate.ReservationBytes;
        var forSessions = vram - estimate.WeightsBytes - estimate.RuntimeOverheadBytes;
        var sessions = forSessions <= 0 ? 0 : Math.Min(forSessions / estimate.SessionPeakBytes, int.MaxValue);
        return new GpuFit(gpu, vram, headroom >= 0, (int)sessions, headroom);
    }

    /// <summary>How the estimate fits one card of every type in <see cref="GpuCatalog.Types"/>, smallest VRAM
    /// first.</summary>
    /// <param name="estimate">The worker's estimate; its <see cref="MemoryEstimate.Concurrency"/> is the requested
    /// concurrency.</param>
    /// <returns>One fit per GPU type, ordered by VRAM then id.</returns>
    public static IReadOnlyList<GpuFit> FitAll(MemoryEstimate estimate) =>
        [.. GpuCatalog.Types.OrderBy(g => g.VramGb).ThenBy(g => g.Id, StringComparer.Ordinal)
            .Select(g => Fit(estimate, g))];

    /// <summary>
    /// The fewest cards of <paramref name="gpu"/> (a worker's <c>gpu_count</c>) whose memory together holds the
    /// reservation, assuming tensor parallelism splits weights and KV cache evenly and each card pays the runtime
    /// overhead: the smallest n with weights + concurrency × session peak ≤ n × (VRAM − overhead) that divides
    /// <c>num_attention_heads</c> (tensor parallelism gives each card whole heads, as vLLM requires).
    /// </summary>
    /// <param name="estimate">The worker's estimate.</param>
    /// <param name="gpu">The GPU type.</param>
    /// <param name="maxGpuCount">The largest count to consider; default
    /// <see cref="EndpointLimits.MaxGpuCount"/>.</param>
    /// <returns>The count (1 when one card fits), or null when even <paramref name="maxGpuCount"/> cards do
    /// not.</returns>
    public static int? MinGpuCount(
        MemoryEstimate estimate, GpuTypeInfo gpu, int maxGpuCount = EndpointLimits.MaxGpuCount)
    {
        ArgumentNullException.ThrowIfNull(estimate);
        var perCard = VramBytes(gpu) - estimate.RuntimeOverheadBytes;
        if (perCard <= 0)
        {
            return null;
        }

        var need = estimate.ReservationBytes - estimate.RuntimeOverheadBytes;
        var count = Math.Max((need + perCard - 1) / perCard, 1);
        while (count <= maxGpuCount && estimate.Config.AttentionHeads % count != 0)
        {
            count++;
        }

        return count <= maxGpuCount ? (int)count : null;
    }
}

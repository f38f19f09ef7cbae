using Hearth.Core.Endpoints;
using Hearth.Core.Memory;

namespace Hearth.App.Plan;

/// <summary>A multi-GPU way to hold a worker: <c>gpu_count</c> cards of one type.</summary>
internal sealed record MultiGpuFit(GpuTypeInfo Gpu, int GpuCount, decimal? PricePerHour);

/// <summary>Everything <c>hearth plan</c> prints, computed once for both the table and the JSON.</summary>
internal sealed record PlanReport(
    MemoryEstimate Estimate,
    IReadOnlyList<GpuFit> Fits,
    IReadOnlyDictionary<string, decimal> Prices,
    GpuFit? SmallestFit,
    GpuFit? CheapestFit,
    MultiGpuFit? MultiGpu,
    MemoryEstimate? Fp8Weights,
    int? LongestContextThatFits)
{
    public static PlanReport Create(MemoryEstimate estimate, IReadOnlyDictionary<string, decimal> prices)
    {
        var fits = MemoryModel.FitAll(estimate);
        var fitting = fits.Where(f => f.Fits).ToList();
        var cheapest = fitting.Where(f => prices.ContainsKey(f.Gpu.Id)).OrderBy(f => prices[f.Gpu.Id])
            .ThenBy(f => f.VramBytes).FirstOrDefault();
        if (fitting.Count > 0)
        {
            return new PlanReport(estimate, fits, prices, fitting[0], cheapest, null, null, null);
        }

        // Nothing fits one card: offer the smallest group of cards, fp8 weights, and the longest context the
        // largest card holds, so the reader has a next step whichever knob they can turn.
        var multi = GpuCatalog.Types
            .Select(g => (Gpu: g, Count: MemoryModel.MinGpuCount(estimate, g)))
            .Where(x => x.Count is not null)
            .Select(x => new MultiGpuFit(x.Gpu, x.Count!.Value,
                prices.TryGetValue(x.Gpu.Id, out var p) ? p * x.Count.Value : null))
            .OrderBy(m => m.PricePerHour ?? decimal.MaxValue)
            .ThenBy(m => m.GpuCount)
            .ThenBy(m => m.GpuCount * (long)m.Gpu.VramGb)
            .FirstOrDefault();
        var fp8 = Dtypes.Bits(estimate.Dtype) > 8
            ? MemoryModel.Estimate(estimate.Config, "fp8", estimate.KvDtype, estimate.MaxContext, estimate.Concurrency)
            : null;
        var largest = fits.Max(f => f.VramBytes);
        var forKv = largest - estimate.WeightsBytes - estimate.RuntimeOverheadBytes;
        var longest = forKv <= 0
            ? (int?)null : (int)Math.Min(forKv / (estimate.KvBytesPerToken * estimate.Concurrency), int.MaxValue);
        return new PlanReport(estimate, fits, prices, null, null, multi, fp8, longest is > 0 ? longest : null);
    }

    /// <summary>The smallest card that holds the fp8-weights variant, when there is one.</summary>
    public GpuFit? Fp8SmallestFit =>
        Fp8Weights is null ? null : MemoryModel.FitAll(Fp8Weights).FirstOrDefault(f => f.Fits);
}

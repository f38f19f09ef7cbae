using System.Diagnostics;

namespace Hearth.Bench.Dispatch;

/// <summary>Percentiles over a set of Stopwatch tick durations, reported in milliseconds.</summary>
internal sealed record Stats(string Figure, double P50, double P90, double P99, double Max, int Count)
{
    public static Stats From(string figure, List<long> ticks)
    {
        var ms = ticks.Select(t => t * 1000.0 / Stopwatch.Frequency).Order().ToArray();
        return new Stats(figure, At(ms, 0.50), At(ms, 0.90), At(ms, 0.99), ms[^1], ms.Length);
    }

    // Nearest-rank percentile.
    private static double At(double[] sorted, double p) =>
        sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
}

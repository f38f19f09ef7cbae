using System.Diagnostics;
using HdrHistogram;

namespace Hearth.Bench.Load;

/// <summary>Records durations (Stopwatch ticks) in an HdrHistogram, 3 significant digits, 1 µs to 60 s.</summary>
internal sealed class Latency
{
    private readonly LongHistogram _histogram = new(TimeStamp.Seconds(60), 3);

    public long Count => _histogram.TotalCount;

    public void Record(long stopwatchTicks) =>
        _histogram.RecordValue(Math.Max(1, stopwatchTicks * TimeStamp.Seconds(1) / Stopwatch.Frequency));

    public void RecordMs(double ms) => Record((long)(ms * Stopwatch.Frequency / 1000.0));

    /// <summary>The figures of one run, in milliseconds, with a CDF (percentile → ms) for the plots.</summary>
    public LatencyRun Summary()
    {
        double At(double p) => _histogram.GetValueAtPercentile(p) * 1000.0 / TimeStamp.Seconds(1);
        var cdf = new List<double[]>();
        for (var p = 0; p <= 100; p++)
        {
            cdf.Add([p, At(p)]);
        }

        cdf.Add([99.5, At(99.5)]);
        cdf.Add([99.9, At(99.9)]);
        cdf.Sort((a, b) => a[0].CompareTo(b[0]));
        return new LatencyRun(At(50), At(90), At(99), _histogram.GetMaxValue() * 1000.0 / TimeStamp.Seconds(1), _histogram.TotalCount, cdf);
    }
}

/// <summary>One run's latency percentiles in milliseconds.</summary>
internal sealed record LatencyRun(double P50, double P90, double P99, double Max, long Count, List<double[]> Cdf);

namespace Hearth.Bench.Load;

/// <summary>A latency figure measured in several runs (each run its own histogram).</summary>
internal sealed record LatencyFigure(string Key, string Name, string Command, List<LatencyRun> Runs)
{
    public double P50 => Median(Runs.Select(r => r.P50));
    public double P90 => Median(Runs.Select(r => r.P90));
    public double P99 => Median(Runs.Select(r => r.P99));
    public (double Min, double Max) P50Spread => (Runs.Min(r => r.P50), Runs.Max(r => r.P50));

    /// <summary>The run whose p50 is the median p50: the one plotted.</summary>
    public LatencyRun MedianRun => Runs.OrderBy(r => r.P50).ElementAt(Runs.Count / 2);

    public static double Median(IEnumerable<double> values)
    {
        var v = values.Order().ToArray();
        return v.Length == 0 ? double.NaN : v.Length % 2 == 1 ? v[v.Length / 2] : (v[v.Length / 2 - 1] + v[v.Length / 2]) / 2;
    }
}

/// <summary>A scalar figure (a rate, a size, a duration) measured in several runs.</summary>
internal sealed record ValueFigure(string Key, string Name, string Unit, string Command, List<double> Runs)
{
    public double Median => LatencyFigure.Median(Runs);
    public double Min => Runs.Min();
    public double Max => Runs.Max();
}

/// <summary>Everything one suite run measured, plus the peer's figures when it ran.</summary>
internal sealed class SuiteResults
{
    public string Started { get; init; } = "";
    public string Machine { get; init; } = "";
    public string Note { get; set; } = "";
    public List<LatencyFigure> Latencies { get; } = [];
    public List<ValueFigure> Values { get; } = [];

    public LatencyFigure? Latency(string key) => Latencies.FirstOrDefault(f => f.Key == key);
    public ValueFigure? Value(string key) => Values.FirstOrDefault(f => f.Key == key);
}

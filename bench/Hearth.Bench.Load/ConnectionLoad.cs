namespace Hearth.Bench.Load;

/// <summary>
/// Whether the control plane's one multiplexed store connection is a bottleneck: while a drain runs, its counters are
/// sampled every 5 ms — requests queued but not yet written to the socket (a connection that cannot keep up shows a
/// standing backlog here) and requests written and awaiting their answer (the pipeline depth).
/// </summary>
internal static class ConnectionLoad
{
    public sealed record Figures(double UnsentP50, double UnsentMax, double BacklogShare, double InFlightP50,
        double InFlightMax);

    public static async Task<(double JobsPerSecond, Figures Load)> DrainAsync(BenchHost host, int jobs, int concurrency)
    {
        var unsent = new List<double>();
        var inFlight = new List<double>();
        using var stop = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var c = host.Store.Connection.GetCounters().Interactive;
                unsent.Add(c.PendingUnsentItems);
                inFlight.Add(c.SentItemsAwaitingResponse);
                await Task.Delay(5, CancellationToken.None);
            }
        });
        var rate = await ThroughputBench.DrainAsync(host, jobs, concurrency);
        await stop.CancelAsync();
        await sampler;
        return (rate, new Figures(LatencyFigure.Median(unsent), unsent.Max(),
            unsent.Count(u => u > 0) / (double)unsent.Count, LatencyFigure.Median(inFlight), inFlight.Max()));
    }
}

using System.Globalization;

namespace Hearth.Bench.Load;

/// <summary>
/// What a no-op job costs the store, from redis-server's <c>INFO commandstats</c>: counters reset, N jobs submitted with
/// <c>/run</c> and drained by one SDK worker, then the calls counted. Script calls are the round trips Hearth makes;
/// the commands include those the scripts run inside.
/// </summary>
internal static class StoreCalls
{
    public static async Task<(double Scripts, double Commands)> PerJobAsync(BenchHost host, int jobs, int concurrency)
    {
        var server = host.Store.Connection.GetServers()[0];
        await server.ExecuteAsync("CONFIG", "RESETSTAT");
        await ThroughputBench.SubmitAsync(host, jobs);
        await ThroughputBench.DrainAsync(host, jobs, concurrency);
        var stats = (await server.InfoAsync("commandstats")).SelectMany(g => g).ToList();
        long Calls(KeyValuePair<string, string> stat) => long.Parse(
            stat.Value.Split(',')[0].Split('=')[1], CultureInfo.InvariantCulture);
        var scripts = stats.Where(s => s.Key is "cmdstat_evalsha" or "cmdstat_eval").Sum(Calls);
        var commands = stats.Where(s => s.Key is not ("cmdstat_config" or "cmdstat_info")).Sum(Calls);
        return ((double)scripts / jobs, (double)commands / jobs);
    }
}

using System.Diagnostics;
using System.Globalization;
using Hearth.Core.Jobs;
using Hearth.Store.Jobs;
using StackExchange.Redis;

namespace Hearth.Bench.Load;

/// <summary>
/// Memory with many queued jobs. Jobs are written through the store's own submit script (the one <c>/run</c> calls,
/// with the payload <c>/run</c> builds for <c>{"input":{}}</c>), 256 in flight, to fill the queue in seconds rather than
/// minutes of HTTP. Store memory: <c>INFO memory</c> <c>used_memory</c> (redis-server) or, for the embedded store, the
/// growth of this process's working set. Control plane: this process's managed heap after a full GC and its working set.
/// </summary>
internal static class MemoryBench
{
    public sealed record Snapshot(long Jobs, double StoreMiB, double HeapMiB, double WorkingSetMiB, double FillSeconds, double HealthMs);

    public static async Task<List<Snapshot>> RunAsync(BenchHost host, IReadOnlyList<int> levels, bool external)
    {
        var server = host.Store.Connection.GetServer(host.Store.Connection.GetEndPoints()[0]);
        await SnapAsync(host, server, external, 0, 0); // warms /health and lets earlier figures' garbage go
        var snapshots = new List<Snapshot> { await SnapAsync(host, server, external, 0, 0) };
        var queued = 0L;
        foreach (var level in levels)
        {
            var t0 = Stopwatch.GetTimestamp();
            await FillAsync(host, level - queued);
            var fill = Stopwatch.GetElapsedTime(t0).TotalSeconds;
            queued = level;
            snapshots.Add(await SnapAsync(host, server, external, queued, fill));
        }

        return snapshots;
    }

    private static async Task FillAsync(BenchHost host, long count)
    {
        var store = host.Store.Store;
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var next = 0L;
        await Task.WhenAll(Enumerable.Range(0, 256).Select(async _ =>
        {
            while (Interlocked.Increment(ref next) <= count)
            {
                var id = Guid.NewGuid().ToString("D");
                await store.SubmitAsync(BenchHost.Noop, new NewJob(id, "{\"id\":\"" + id + "\",\"input\":{}}", now,
                    JobLimits.DefaultTtlMs, JobLimits.DefaultExecutionTimeoutMs, JobLimits.RunRetentionMs, false, null));
            }
        }));
    }

    private static async Task<Snapshot> SnapAsync(BenchHost host, IServer server, bool external, long jobs, double fill)
    {
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        using var self = Process.GetCurrentProcess();
        var heap = GC.GetTotalMemory(false) / 1048576.0;
        var ws = self.WorkingSet64 / 1048576.0;
        double storeMiB = ws;
        if (external)
        {
            var info = await server.InfoAsync("memory");
            var used = info.SelectMany(g => g).First(kv => kv.Key == "used_memory").Value;
            storeMiB = long.Parse(used, CultureInfo.InvariantCulture) / 1048576.0;
        }

        using var client = host.Client(1);
        var t0 = Stopwatch.GetTimestamp();
        using var health = await client.GetAsync($"/v2/{BenchHost.Noop}/health");
        health.EnsureSuccessStatusCode();
        var healthMs = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
        return new Snapshot(jobs, storeMiB, heap, ws, fill, healthMs);
    }
}

using System.Diagnostics;
using System.Globalization;
using System.Text;
using Hearth.Core.Jobs;
using Hearth.Store;
using Hearth.Store.Jobs;

namespace Hearth.Bench.Load;

/// <summary>
/// The store at production size (issue 16): jobs queued on an endpoint no worker serves, up to a million, and what a
/// client and an operator see at each depth — submit and /status latency over HTTP, cancel and TTL expiry with a deep
/// queue, the process's memory, the store's memory and disk, the append-only file before and after a checkpoint, and
/// the time a restart takes with everything still queued. Writes a markdown report.
/// </summary>
internal static class ScaleBench
{
    private const int Samples = 500;

    /// <summary>Runs one store (embedded when <paramref name="redisUrl"/> is null) and returns its report section.</summary>
    public static async Task<string> RunAsync(string? redisUrl, IReadOnlyList<int> levels)
    {
        var report = new StringBuilder();
        await RunStoreAsync(redisUrl, levels, report);
        return report.ToString();
    }

    /// <summary>The report's heading: when, where, with what command.</summary>
    public static string Heading(IReadOnlyList<int> levels, string? note) =>
        $"# Scale run {DateTimeOffset.Now:yyyy-MM-dd HH:mm zzz}\n\nMachine: {Environment.ProcessorCount} cores, " +
        $"{GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 1073741824.0:0} GiB, .NET {Environment.Version}. " +
        $"Command: `bash bench/run-scale.sh {string.Join(',', levels)}`. Each store runs in a process of its own. {note}\n\n";

    private static async Task RunStoreAsync(string? url, IReadOnlyList<int> levels, StringBuilder report)
    {
        var data = url is null ? Path.Combine(Path.GetTempPath(), "hearth-scale-" + Guid.NewGuid().ToString("N")) : null;
        try
        {
            await using var host = await BenchHost.StartAsync(url, embeddedMemory: null, data: data);
            report.AppendLine(CultureInfo.InvariantCulture, $"## {host.StoreName}: {host.Store.Description}");
            report.AppendLine();
            report.AppendLine(
                "| queued | fill s | submit p50 / p99 ms | /status p50 / p99 ms | GC pauses ms | process RSS MiB | " +
                ".NET heap MiB (live) | store memory MiB | store disk MiB |");
            report.AppendLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
            var ids = new List<string>();
            long queued = 0;
            foreach (var level in levels)
            {
                var fill = Stopwatch.StartNew();
                await FillAsync(host, level - queued, ids);
                var fillS = fill.Elapsed.TotalSeconds;
                queued = level;
                var paused = GC.GetTotalPauseDuration();
                var submit = await SubmitLatencyAsync(host, ids);
                queued += Samples;
                var status = await StatusLatencyAsync(host, ids);
                paused = GC.GetTotalPauseDuration() - paused;
                var (memory, disk) = await StoreFootprintAsync(host);
                using var self = Process.GetCurrentProcess();
                self.Refresh();
                var rss = self.WorkingSet64 >> 20;

                // The managed heap as the process stands (garbage included), then what is live after a full GC: the
                // store's records in memory, the control plane, and this bench's own list of ids.
                var heap = GC.GetGCMemoryInfo().HeapSizeBytes >> 20;
                var live = GC.GetTotalMemory(forceFullCollection: true) >> 20;
                report.AppendLine(CultureInfo.InvariantCulture,
                    $"| {level:N0} | {fillS:0.0} | {submit.P50:0.000} / {submit.P99:0.000} | " +
                    $"{status.P50:0.000} / {status.P99:0.000} | {paused.TotalMilliseconds:0} | {rss} | {heap} ({live}) | " +
                    $"{memory} | {disk} |");
                Console.WriteLine(
                    $"  {host.StoreName} {level:N0} queued: fill {fillS:0.0} s, submit p99 {submit.P99:0.000} ms, " +
                    $"status p99 {status.P99:0.000} ms, GC pauses {paused.TotalMilliseconds:0} ms during them, " +
                    $"rss {rss} MiB, heap {heap} MiB (live {live}), " +
                    $"store {memory} MiB, disk {disk} MiB");
            }

            report.AppendLine();
            var (cancel, expiry, perJob) = await CancelAndExpiryAsync(host, ids);
            report.AppendLine(CultureInfo.InvariantCulture,
                $"With {queued:N0} queued: cancel (`POST /cancel`) p50 / p99 **{cancel.P50:0.000} / {cancel.P99:0.000} ms**; " +
                $"TTL expiry, one sweep of up to 1,000 expired jobs p50 / p99 **{expiry.P50:0.0} / {expiry.P99:0.0} ms** " +
                $"({perJob:0.0} µs a job).");
            report.AppendLine();
            if (data is not null)
            {
                await CheckpointAndRestartAsync(host, data, queued, report);
            }
        }
        finally
        {
            if (data is not null && Directory.Exists(data))
            {
                Directory.Delete(data, recursive: true);
            }
        }
    }

    private static async Task FillAsync(BenchHost host, long count, List<string> ids)
    {
        var store = host.Store.Store;
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var next = 0L;
        var sample = new System.Collections.Concurrent.ConcurrentBag<string>();
        await Task.WhenAll(Enumerable.Range(0, 256).Select(async _ =>
        {
            long i;
            while ((i = Interlocked.Increment(ref next)) <= count)
            {
                var id = Guid.NewGuid().ToString("D");
                await store.SubmitAsync(BenchHost.Noop, new NewJob(id, "{\"id\":\"" + id + "\",\"input\":{}}", now,
                    JobLimits.DefaultTtlMs, JobLimits.DefaultExecutionTimeoutMs, JobLimits.RunRetentionMs, false, null));
                if (i % 97 == 0)
                {
                    sample.Add(id);
                }
            }
        }));
        ids.AddRange(sample);
    }

    private static async Task<LatencyRun> SubmitLatencyAsync(BenchHost host, List<string> ids)
    {
        using var client = host.Client(1);
        var latency = new Latency();
        for (var i = 0; i < Samples; i++)
        {
            var t0 = Stopwatch.GetTimestamp();
            using var response = await client.PostAsync($"/v2/{BenchHost.Noop}/run",
                new StringContent("{\"input\":{}}", Encoding.UTF8, "application/json"));
            response.EnsureSuccessStatusCode();
            latency.Record(Stopwatch.GetTimestamp() - t0);
            using var body = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            ids.Add(body.RootElement.GetProperty("id").GetString()!);
        }

        return latency.Summary();
    }

    private static async Task<LatencyRun> StatusLatencyAsync(BenchHost host, List<string> ids)
    {
        using var client = host.Client(1);
        var latency = new Latency();
        for (var i = 0; i < Samples && ids.Count > 0; i++)
        {
            var id = ids[Random.Shared.Next(ids.Count)];
            var t0 = Stopwatch.GetTimestamp();
            using var response = await client.GetAsync($"/v2/{BenchHost.Noop}/status/{id}");
            response.EnsureSuccessStatusCode();
            latency.Record(Stopwatch.GetTimestamp() - t0);
        }

        return latency.Summary();
    }

    private static async Task<(string Memory, string Disk)> StoreFootprintAsync(BenchHost host)
    {
        if (host.Store.Maintenance is { } m)
        {
            await m.RunOnceAsync(CancellationToken.None);
            return ((m.Usage.MemoryBytes / 1048576.0).ToString("0", CultureInfo.InvariantCulture),
                (m.Usage.DiskBytes / 1048576.0).ToString("0", CultureInfo.InvariantCulture));
        }

        var server = host.Store.Connection.GetServer(host.Store.Connection.GetEndPoints()[0]);
        var used = (await server.InfoAsync("memory")).SelectMany(g => g).First(kv => kv.Key == "used_memory").Value;
        return ((long.Parse(used, CultureInfo.InvariantCulture) / 1048576.0).ToString("0", CultureInfo.InvariantCulture), "n/a");
    }

    private static async Task<(LatencyRun Cancel, LatencyRun Expiry, double PerJobMicros)> CancelAndExpiryAsync(BenchHost host, List<string> ids)
    {
        using var client = host.Client(1);
        var cancel = new Latency();
        foreach (var id in ids.Take(Samples).ToList())
        {
            var t0 = Stopwatch.GetTimestamp();
            using var response = await client.PostAsync($"/v2/{BenchHost.Noop}/cancel/{id}", null);
            response.EnsureSuccessStatusCode();
            cancel.Record(Stopwatch.GetTimestamp() - t0);
            ids.Remove(id);
        }

        // Expiry: 10,000 queued jobs whose TTL ends at once, behind the deep queue; the store's own sweep, timed per call.
        var store = host.Store.Store;
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        const int expiring = 10_000;
        for (var start = 0; start < expiring; start += 500)
        {
            await Task.WhenAll(Enumerable.Range(start, 500).Select(i => store.SubmitAsync(BenchHost.Noop,
                new NewJob($"ttl-{now}-{i}", "{\"input\":{}}", now, 1_000, JobLimits.DefaultExecutionTimeoutMs, JobLimits.RunRetentionMs, false, null))));
        }

        var expiry = new Latency();
        var swept = 0;
        var total = Stopwatch.StartNew();
        while (swept < expiring)
        {
            var t0 = Stopwatch.GetTimestamp();
            var result = await store.SweepAsync(BenchHost.Noop, now + 60_000, new SweepLimits(MaxWorkerLost: 2, Batch: 1000));
            expiry.Record(Stopwatch.GetTimestamp() - t0);
            if (result.Deleted.Count == 0)
            {
                break;
            }

            swept += result.Deleted.Count;
        }

        return (cancel.Summary(), expiry.Summary(), total.Elapsed.TotalMilliseconds * 1000 / Math.Max(1, swept));
    }

    private static async Task CheckpointAndRestartAsync(BenchHost host, string data, long queued, StringBuilder report)
    {
        var m = host.Store.Maintenance!;
        await m.RunOnceAsync(CancellationToken.None);
        var before = m.Usage.LogBytes;
        var t0 = Stopwatch.StartNew();
        await m.CheckpointAsync(CancellationToken.None);
        var checkpointS = t0.Elapsed.TotalSeconds;
        for (var i = 0; i < 50; i++)
        {
            await Task.Delay(200);
            await m.RunOnceAsync(CancellationToken.None);
            if (m.Usage.LogBytes < before)
            {
                break;
            }
        }

        var after = m.Usage.LogBytes;
        var disk = m.Usage.DiskBytes;
        await host.StopAsync();
        var restart = Stopwatch.StartNew();
        using var reopened = StoreHost.Open(new StoreOptions { DataDirectory = data });
        var counters = await reopened.Store.CountAsync(BenchHost.Noop, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), 60_000);
        var restartS = restart.Elapsed.TotalSeconds;
        report.AppendLine(CultureInfo.InvariantCulture,
            $"Checkpoint with {queued:N0} queued: {checkpointS:0.0} s; append-only file {before / 1048576.0:0} MiB before, " +
            $"{after / 1048576.0:0} MiB after; data directory {disk / 1048576.0:0} MiB. Restart (store open + first count) " +
            $"**{restartS:0.0} s**, {counters.InQueue:N0} still queued.");
        report.AppendLine();
        Console.WriteLine($"  restart {restartS:0.0} s with {counters.InQueue:N0} queued; log {before >> 20} -> {after >> 20} MiB");
    }
}

using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Hearth.Bench.Load;

/// <summary>Writes bench/results/&lt;date&gt;.json and .md, and the SVG charts in docs/benchmarks/.</summary>
internal static class Report
{
    public static void Write(SuiteResults results, List<(string Store, MemoryBench.Snapshot Snap)> memory, string? peerPath, string? coldPath,
        string outDir, string docsDir, List<int> levels)
    {
        var peer = peerPath is not null && File.Exists(peerPath) ? JsonDocument.Parse(File.ReadAllText(peerPath)).RootElement : (JsonElement?)null;
        if (peer is { } p)
        {
            AddPeer(results, p);
        }

        var cold = coldPath is not null && File.Exists(coldPath) ? JsonDocument.Parse(File.ReadAllText(coldPath)).RootElement : (JsonElement?)null;
        var date = DateTime.Now.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        Directory.CreateDirectory(outDir);
        Directory.CreateDirectory(docsDir);
        var json = new
        {
            started = results.Started,
            machine = results.Machine,
            note = results.Note,
            latencies = results.Latencies.Select(f => new { f.Key, f.Name, f.Command, p50 = f.P50, p90 = f.P90, p99 = f.P99, p50Min = f.P50Spread.Min, p50Max = f.P50Spread.Max, runs = f.Runs.Select(r => new { r.P50, r.P90, r.P99, r.Max, r.Count }) }),
            values = results.Values.Select(f => new { f.Key, f.Name, f.Unit, f.Command, median = f.Median, min = f.Min, max = f.Max, runs = f.Runs }),
            memory = memory.Select(m => new { store = m.Store, m.Snap.Jobs, m.Snap.StoreMiB, m.Snap.HeapMiB, m.Snap.WorkingSetMiB, m.Snap.FillSeconds, m.Snap.HealthMs }),
            coldStart = cold,
        };
        File.WriteAllText(Path.Combine(outDir, date + ".json"), JsonSerializer.Serialize(json, new JsonSerializerOptions { WriteIndented = true }));
        var md = Markdown(results, memory, cold, levels, date);
        File.WriteAllText(Path.Combine(outDir, date + ".md"), md);
        Console.WriteLine(md);

        var cdf = new[] { "floor.kestrel", "floor.ping", "dispatch.Garnet", "dispatch.redis-server", "runsync.redis-server", "bullmq.latency" }
            .Select(results.Latency).OfType<LatencyFigure>().Select(f => (f.Name, f.MedianRun.Cdf)).ToList();
        if (cdf.Count > 0)
        {
            File.WriteAllText(Path.Combine(docsDir, "latency-cdf.svg"), Svg.Cdf($"Latency CDF, median run of {results.Latencies[0].Runs.Count} ({date})", cdf));
        }

        var series = new[] { ("Hearth, redis-server", "throughput.redis-server.c"), ("Hearth, Garnet", "throughput.Garnet.c"), ("BullMQ 6.7, redis-server", "bullmq.c") }
            .Select(s => (s.Item1, Points: levels.Where(c => results.Value(s.Item2 + c) is not null)
                .ToDictionary(c => c, c => { var f = results.Value(s.Item2 + c)!; return (f.Median, f.Min, f.Max); })))
            .Where(s => s.Points.Count > 0).ToList();
        if (series.Count > 0)
        {
            File.WriteAllText(Path.Combine(docsDir, "throughput.svg"), Svg.Throughput($"No-op throughput vs concurrency ({date})", levels, series));
        }

        Console.WriteLine($"Wrote {outDir}/{date}.json, {outDir}/{date}.md and the charts in {docsDir}/");
    }

    private static void AddPeer(SuiteResults results, JsonElement peer)
    {
        const string cmd = "node bench/peer/bullmq-bench.mjs (run by bench/run.sh)";
        var latency = new LatencyFigure("bullmq.latency", "BullMQ: add → processor starts (redis-server)", cmd, []);
        foreach (var run in peer.GetProperty("latency").EnumerateArray())
        {
            latency.Runs.Add(new LatencyRun(run.GetProperty("p50").GetDouble(), run.GetProperty("p90").GetDouble(), run.GetProperty("p99").GetDouble(),
                run.GetProperty("max").GetDouble(), run.GetProperty("count").GetInt64(), [.. run.GetProperty("cdf").EnumerateArray().Select(a => new[] { a[0].GetDouble(), a[1].GetDouble() })]));
        }

        results.Latencies.Add(latency);
        foreach (var group in peer.GetProperty("throughput").EnumerateArray().GroupBy(t => t.GetProperty("concurrency").GetInt32()))
        {
            results.Values.Add(new ValueFigure($"bullmq.c{group.Key}", $"BullMQ no-op jobs/s, one Worker, concurrency {group.Key}", "jobs/s", cmd,
                [.. group.Select(t => t.GetProperty("jobsPerSecond").GetDouble())]));
        }

        results.Values.Add(new ValueFigure("bullmq.enqueue16", "BullMQ queue.add/s, 16 concurrent", "jobs/s", cmd, [.. peer.GetProperty("enqueue16").EnumerateArray().Select(e => e.GetDouble())]));
        if (peer.TryGetProperty("addBulk16", out var bulk))
        {
            results.Values.Add(new ValueFigure("bullmq.addbulk16", "BullMQ addBulk jobs/s, 100 per call, 16 concurrent", "jobs/s", cmd, [.. bulk.EnumerateArray().Select(e => e.GetDouble())]));
        }

        if (peer.TryGetProperty("workers4", out var w4))
        {
            results.Values.Add(new ValueFigure("bullmq.w4c16", "BullMQ no-op jobs/s, 4 Worker processes, concurrency 16 each", "jobs/s", cmd, [.. w4.EnumerateArray().Select(e => e.GetDouble())]));
        }
    }

    private static string Markdown(SuiteResults r, List<(string Store, MemoryBench.Snapshot Snap)> memory, JsonElement? cold, List<int> levels, string date)
    {
        var k = r.Latency("floor.kestrel")?.P50 ?? double.NaN;
        var ping = r.Latency("floor.ping")?.P50 ?? double.NaN;
        var bull = r.Latency("bullmq.latency")?.P50 ?? double.NaN;
        var hops = new Dictionary<string, (int Http, int Store)>
        {
            ["dispatch"] = (2, 2), ["dispatch-untraced"] = (2, 2), ["runsync"] = (3, 4),
        };
        var md = new StringBuilder();
        md.AppendLine(CultureInfo.InvariantCulture, $"# Hearth benchmark suite, {r.Started}");
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"Machine: {r.Machine}. {r.Note}");
        md.AppendLine("Latencies: the median over runs of each run's percentile (HdrHistogram, 3 significant digits); spread = min–max of the runs' p50.");
        md.AppendLine("Floor units: p50 / (HTTP hops × Kestrel p50 + store hops × PING p50); dispatch = 2 HTTP + 2 store hops, /runsync = 3 HTTP + 4 store hops.");
        md.AppendLine();
        md.AppendLine("| latency | p50 ms | p90 ms | p99 ms | p50 spread | floor units | / BullMQ p50 |");
        md.AppendLine("|---|---:|---:|---:|---:|---:|---:|");
        foreach (var f in r.Latencies)
        {
            var kind = f.Key.Split('.')[0];
            var floor = hops.TryGetValue(kind, out var h) ? F1(f.P50 / (h.Http * k + h.Store * ping)) + "×" : "";
            var ratio = kind is "dispatch" or "dispatch-untraced" or "runsync" or "bullmq" ? F1(f.P50 / bull) + "×" : "";
            md.AppendLine(CultureInfo.InvariantCulture, $"| {f.Name} | {F3(f.P50)} | {F3(f.P90)} | {F3(f.P99)} | {F3(f.P50Spread.Min)}–{F3(f.P50Spread.Max)} | {floor} | {ratio} |");
        }

        md.AppendLine();
        md.AppendLine("| throughput | median | min–max | / BullMQ same concurrency |");
        md.AppendLine("|---|---:|---:|---:|");
        foreach (var f in r.Values)
        {
            var c = f.Key.LastIndexOf(".c", StringComparison.Ordinal) is var i and > 0 ? f.Key[(i + 1)..] : null;
            var peer = f.Key.StartsWith("submit16", StringComparison.Ordinal) ? r.Value("bullmq.enqueue16")
                : f.Key.StartsWith("submitbatch16", StringComparison.Ordinal) ? r.Value("bullmq.addbulk16")
                : f.Key.EndsWith(".w4c16", StringComparison.Ordinal) && !f.Key.StartsWith("bullmq", StringComparison.Ordinal)
                    ? r.Value("bullmq.w4c16")
                : c is not null && !f.Key.StartsWith("bullmq", StringComparison.Ordinal) ? r.Value("bullmq." + c) : null;
            md.AppendLine(CultureInfo.InvariantCulture, $"| {f.Name} | {f.Median:0} {f.Unit} | {f.Min:0}–{f.Max:0} | {(peer is null ? "" : F2(f.Median / peer.Median) + "×")} |");
        }

        md.AppendLine();
        foreach (var (name, prefix) in new[] { ("Hearth, redis-server", "throughput.redis-server.c"), ("Hearth, Garnet", "throughput.Garnet.c"), ("BullMQ", "bullmq.c") })
        {
            var pts = levels.Select(c => (c, f: r.Value(prefix + c))).Where(p => p.f is not null).ToList();
            if (pts.Count > 0)
            {
                var best = pts.Max(p => p.f!.Median);
                var sat = pts.First(p => p.f!.Median >= 0.9 * best);
                md.AppendLine(CultureInfo.InvariantCulture, $"Saturation, {name}: {best:0} jobs/s at best; 90% of it first reached at concurrency {sat.c}.  ");
            }
        }

        if (memory.Count > 0)
        {
            md.AppendLine();
            md.AppendLine("| memory | queued jobs | store MiB | control-plane heap MiB | process working set MiB | fill s | /health ms |");
            md.AppendLine("|---|---:|---:|---:|---:|---:|---:|");
            foreach (var (store, s) in memory)
            {
                md.AppendLine(CultureInfo.InvariantCulture, $"| {store} | {s.Jobs} | {s.StoreMiB:0.0} | {s.HeapMiB:0.0} | {s.WorkingSetMiB:0.0} | {s.FillSeconds:0.0} | {s.HealthMs:0.0} |");
            }
        }

        if (cold is { } cs)
        {
            md.AppendLine();
            md.AppendLine("Cold start (bench/cold-start.py): " + cs.GetRawText());
        }

        return md.ToString();
    }

    private static string F1(double v) => double.IsFinite(v) ? v.ToString("0.0", CultureInfo.InvariantCulture) : "";
    private static string F2(double v) => double.IsFinite(v) ? v.ToString("0.00", CultureInfo.InvariantCulture) : "";
    private static string F3(double v) => v.ToString("0.000", CultureInfo.InvariantCulture);
}

using System.Diagnostics;
using System.Globalization;
using Hearth.Bench.Load;

// The end-to-end suite behind bench/run.sh. Usage (see bench/run.sh for the defaults it passes):
//   Hearth.Bench.Load [--redis host:port] [--runs 3] [--n 1000] [--warmup 200] [--jobs 5000] [--conc 1,4,16,64]
//     [--garnet-jobs 5000] [--memory 100000,1000000] [--garnet-memory 0 (off; its working set is not a clean store figure)] [--only floor,dispatch,throughput,untraced,timeout,rehydration,memory]
//     [--warm-jobs 5000 (submitted and drained before the throughput figures, not recorded)]
//     [--redis-only 1 (skip the embedded store)] [--peer peer.json] [--cold cold.json] [--note "busy machine"] [--out bench/results] [--docs docs/benchmarks]
var o = new Args(args);
if (o.Get("--worker-process") is { } controlPlane)
{
    // One worker of the multi-worker drain (WorkerProcesses): started by the suite itself.
    return await WorkerProcesses.RunWorkerAsync(new Uri(controlPlane), o.Get("--endpoint") ?? BenchHost.Noop,
        o.Int("--concurrency", 16), o.Get("--id") ?? "bench-worker");
}

if (o.Get("--scale") is { } scaleLevels)
{
    // bench/run-scale.sh: the store at production size (issue 16), one store per process, appended to --out.
    int[] depths = [.. scaleLevels.Split(',').Select(int.Parse)];
    var file = o.Get("--out") ?? throw new ArgumentException("--scale needs --out FILE");
    if (!File.Exists(file))
    {
        await File.WriteAllTextAsync(file, ScaleBench.Heading(depths, o.Get("--note")));
    }

    var redisUrl = o.Get("--redis") is { } r ? "redis://" + r : null;
    var section = await ScaleBench.RunAsync(redisUrl, depths);
    await File.AppendAllTextAsync(file, section);
    Console.WriteLine(section);
    return 0;
}

var redis = o.Get("--redis");
var runs = o.Int("--runs", 3);
var n = o.Int("--n", 1000);
var warmup = o.Int("--warmup", 200);
var jobs = o.Int("--jobs", 5000);
var garnetJobs = o.Int("--garnet-jobs", 5000); // as many as on redis-server since the shared group commit (it was 1000 when Garnet ran ~10x slower)
var levels = o.Ints("--conc", "1,4,16,64");
var warmJobs = o.Int("--warm-jobs", 5000); // submitted and drained before the throughput figures, not recorded
var only = (o.Get("--only") ?? "floor,dispatch,attribution,throughput,untraced,timeout,rehydration,memory").Split(',');
var results = new SuiteResults
{
    Started = DateTimeOffset.Now.ToString("yyyy-MM-dd HH:mm zzz", CultureInfo.InvariantCulture),
    Machine = $"{Environment.ProcessorCount} cores, {GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 1073741824.0:0} GiB, .NET {Environment.Version}, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}",
    Note = o.Get("--note") ?? "",
};
var stores = redis is null ? new string?[] { null } : [null, "redis://" + redis];
if (o.Get("--redis-only") is not null && redis is not null)
{
    stores = ["redis://" + redis]; // for experiments on one store; the published suite measures both
}

var lat = new Dictionary<string, LatencyFigure>();
var val = new Dictionary<string, ValueFigure>();
void AddL(string key, string name, string command, LatencyRun run)
{
    if (!lat.TryGetValue(key, out var f))
    {
        lat[key] = f = new LatencyFigure(key, name, command, []);
        results.Latencies.Add(f);
    }

    f.Runs.Add(run);
    Console.WriteLine($"  {name}: p50 {run.P50:0.000} p90 {run.P90:0.000} p99 {run.P99:0.000} ms (n={run.Count})");
}

void AddV(string key, string name, string unit, string command, double value)
{
    if (!val.TryGetValue(key, out var f))
    {
        val[key] = f = new ValueFigure(key, name, unit, command, []);
        results.Values.Add(f);
    }

    f.Runs.Add(value);
    Console.WriteLine($"  {name}: {value:0.###} {unit}");
}

bool Want(string part) => only.Contains(part);
const string Cmd = "bash bench/run.sh";
var clock = Stopwatch.StartNew();
for (var r = 1; r <= runs; r++)
{
    Console.WriteLine($"== run {r}/{runs} ({clock.Elapsed.TotalSeconds:0} s) ==");
    if (Want("floor"))
    {
        AddL("floor.kestrel", "floor: Kestrel GET /ok, 1 connection", Cmd, await FloorBench.KestrelOkAsync(warmup, n));
        if (redis is not null)
        {
            AddL("floor.ping", "floor: redis-server PING, 1 connection", Cmd, await FloorBench.PingAsync(redis, warmup, n));
        }
    }

    foreach (var url in stores)
    {
        if (!Want("dispatch") && !Want("throughput"))
        {
            break;
        }

        await using var host = await BenchHost.StartAsync(url);
        var s = host.StoreName;
        if (Want("dispatch"))
        {
            var (dispatch, runSync) = await DispatchBench.RunAsync(host, warmup, n);
            AddL($"dispatch.{s}", $"dispatch /run → handler starts ({s})", Cmd, dispatch);
            AddL($"runsync.{s}", $"round trip /runsync no-op ({s})", Cmd, runSync);
        }

        if (Want("throughput"))
        {
            var count = url is null ? garnetJobs : jobs;
            await ThroughputBench.WarmUpAsync(host, warmJobs);
            foreach (var c in levels)
            {
                AddV($"submit16.{s}", $"/run submits/s, 16 connections ({s})", "jobs/s", Cmd, await ThroughputBench.SubmitAsync(host, count));
                AddV($"throughput.{s}.c{c}", $"no-op jobs/s, one SDK worker, concurrency {c} ({s})", "jobs/s", Cmd, await ThroughputBench.DrainAsync(host, count, c));
            }

            if (url is not null)
            {
                // Store calls per no-op job, from redis-server's own counters: /run submits, then a drain at C=16.
                var (scripts, commands) = await StoreCalls.PerJobAsync(host, count, 16);
                AddV("scriptcalls.redis-server", "store script calls (EVALSHA) per no-op job, /run + drain at C=16 (redis-server)", "calls", Cmd, scripts);
                AddV("commands.redis-server", "redis commands per no-op job, inside scripts included (redis-server)", "commands", Cmd, commands);
            }

            // Is the one store connection a bottleneck? Its queue while one worker drains at C=64.
            await ThroughputBench.SubmitAsync(host, count);
            var (_, load) = await ConnectionLoad.DrainAsync(host, count, 64);
            AddV($"conn.unsent.{s}", $"store connection: requests not yet written, p50 / max during a C=64 drain ({s})",
                "requests", Cmd, load.UnsentP50);
            AddV($"conn.unsentmax.{s}", $"store connection: requests not yet written, max ({s})", "requests", Cmd,
                load.UnsentMax);
            AddV($"conn.backlog.{s}", $"store connection: share of 5 ms samples with any request not yet written ({s})",
                "share", Cmd, load.BacklogShare);
            AddV($"conn.inflight.{s}", $"store connection: requests awaiting their answer, p50 ({s})", "requests", Cmd,
                load.InFlightP50);
            AddV($"conn.inflightmax.{s}", $"store connection: requests awaiting their answer, max ({s})", "requests",
                Cmd, load.InFlightMax);

            // Batch submit, then the same jobs drained by 4 worker processes of concurrency 16.
            AddV($"submitbatch16.{s}", $"/runbatch submits/s, 100 per batch, 16 connections ({s})", "jobs/s", Cmd,
                await ThroughputBench.SubmitBatchesAsync(host, count));
            AddV($"throughput.{s}.w4c16", $"no-op jobs/s, 4 SDK worker processes, concurrency 16 each ({s})", "jobs/s", Cmd,
                await WorkerProcesses.DrainAsync(host, count, 4, 16));
        }
    }

    foreach (var url in stores)
    {
        if (!Want("untraced"))
        {
            break;
        }

        // What tracing costs: the same dispatch and drains with TracingOptions.Enabled off.
        await using var host = await BenchHost.StartAsync(url, tracing: false);
        var s = host.StoreName;
        var (dispatch, _) = await DispatchBench.RunAsync(host, warmup, n);
        AddL($"dispatch-untraced.{s}", $"dispatch, tracing off ({s})", Cmd, dispatch);
        var count = url is null ? garnetJobs : jobs;
        await ThroughputBench.WarmUpAsync(host, warmJobs);
        foreach (var c in levels.Where(c => c >= 16))
        {
            await ThroughputBench.SubmitBatchesAsync(host, count);
            AddV($"throughput-untraced.{s}.c{c}", $"no-op jobs/s, one SDK worker, concurrency {c}, tracing off ({s})",
                "jobs/s", Cmd, await ThroughputBench.DrainAsync(host, count, c));
        }
    }

    if (Want("dispatch") && Want("attribution"))
    {
        // Where the embedded store's time goes: the same dispatch with Garnet's AOF off (durability Memory, which loses
        // acknowledged jobs on a crash; never the default). The gap to FsyncAlways is the cost of the commit waits.
        await using var host = await BenchHost.StartAsync(null, Hearth.Store.StoreDurability.Memory);
        var (dispatch, _) = await DispatchBench.RunAsync(host, warmup, n);
        AddL("diag.dispatch.Garnet-memory", "diagnostic: dispatch (Garnet, durability Memory: AOF off)", Cmd, dispatch);
    }

    if (Want("timeout"))
    {
        await using var host = await BenchHost.StartAsync(stores[^1]);
        var (timedOut, free) = await TimeoutBench.RunAsync(host);
        AddL("timeout.status", $"timeout: deadline → TIMED_OUT visible ({host.StoreName})", Cmd, timedOut);
        AddL("timeout.free", $"timeout: deadline → handler cancelled, worker slot free ({host.StoreName})", Cmd, free);
    }

    if (Want("rehydration"))
    {
        var lease = TimeSpan.FromSeconds(1);
        await using var host = await BenchHost.StartAsync(stores[^1], lease: lease);
        var (resumed, completed) = await RehydrationBench.RunAsync(host, lease, 3);
        AddL("rehydration.resumed", $"rehydration: worker silent → session resumed on another worker (lease 1 s, {host.StoreName})", Cmd, resumed);
        AddL("rehydration.completed", $"rehydration: worker silent → job COMPLETED (lease 1 s, {host.StoreName})", Cmd, completed);
    }
}

var memory = new List<(string Store, MemoryBench.Snapshot Snap)>();
if (Want("memory"))
{
    Console.WriteLine($"== memory ({clock.Elapsed.TotalSeconds:0} s) ==");
    foreach (var url in stores)
    {
        var levelsFor = url is null ? o.Ints("--garnet-memory", "0") : o.Ints("--memory", "100000,1000000");
        if (levelsFor.Count == 0 || levelsFor[0] == 0)
        {
            continue;
        }

        await using var host = await BenchHost.StartAsync(url, embeddedMemory: "1g");
        foreach (var snap in await MemoryBench.RunAsync(host, levelsFor, external: url is not null))
        {
            memory.Add((host.StoreName, snap));
            Console.WriteLine($"  {host.StoreName} {snap.Jobs} queued: store {snap.StoreMiB:0.0} MiB, heap {snap.HeapMiB:0.0} MiB, working set {snap.WorkingSetMiB:0.0} MiB, fill {snap.FillSeconds:0.0} s, /health {snap.HealthMs:0.0} ms");
        }
    }
}

Console.WriteLine($"== suite done in {clock.Elapsed.TotalSeconds:0} s ==");
Report.Write(results, memory, o.Get("--peer"), o.Get("--cold"), o.Get("--out") ?? "bench/results", o.Get("--docs") ?? "docs/benchmarks", levels);
return 0;

internal sealed class Args(string[] args)
{
    public string? Get(string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    public int Int(string name, int fallback) => Get(name) is { } v ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;

    public List<int> Ints(string name, string fallback) =>
        [.. (Get(name) ?? fallback).Split(',', StringSplitOptions.RemoveEmptyEntries).Select(v => int.Parse(v, CultureInfo.InvariantCulture))];
}

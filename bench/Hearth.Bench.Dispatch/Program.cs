using System.Globalization;
using System.Text;
using Hearth.Bench.Dispatch;
using Hearth.Store;
using StackExchange.Redis;

// Usage: Hearth.Bench.Dispatch [--redis host:port] [--n 2000] [--warmup 200] [--durability FsyncAlways|FsyncEverySecond|Memory] [--out DIR]
var redis = Arg("--redis");
var n = int.Parse(Arg("--n") ?? "2000");
var warmup = int.Parse(Arg("--warmup") ?? "200");
var durability = Enum.Parse<StoreDurability>(Arg("--durability") ?? nameof(StoreDurability.FsyncAlways), ignoreCase: true);
var outDir = Arg("--out") ?? Path.Combine("bench", "results");

var http = await Floor.KestrelOkAsync(warmup, n);
var rows = new List<(Stats Stats, string Note)> { (http, "") };
var stores = new List<string>();
foreach (var url in redis is null ? new string?[] { null } : [null, "redis://" + redis])
{
    var (dispatch, ping, store) = await DispatchBench.RunAsync(url, durability, warmup, n);
    var name = url is null ? $"Garnet, {durability}" : "redis-server";
    rows.Add((dispatch with { Figure = $"{dispatch.Figure} ({name})" }, Ratio(dispatch)));
    rows.Add((ping, ""));
    stores.Add(store);
}

if (redis is not null)
{
    // A second PING on a fresh, separate connection to redis-server (no server traffic on it).
    using var mux = await ConnectionMultiplexer.ConnectAsync(redis);
    rows.Add((await Floor.PingAsync("PING (redis-server, own connection)", mux, warmup, n), ""));
}

var md = new StringBuilder();
md.AppendLine($"# Dispatch latency, {DateTime.Now:yyyy-MM-dd HH:mm}");
md.AppendLine();
md.AppendLine($"{Environment.ProcessorCount} cores, .NET {Environment.Version}, N={n} sequential jobs after {warmup} warm-up, one warm worker long-polling job-take in-process.");
md.AppendLine($"Stores: {string.Join("; ", stores)}.");
md.AppendLine();
md.AppendLine("| figure | p50 ms | p90 ms | p99 ms | max ms | p50 / HTTP floor p50 |");
md.AppendLine("|---|---:|---:|---:|---:|---:|");
foreach (var (s, note) in rows)
{
    md.AppendLine($"| {s.Figure} | {F(s.P50)} | {F(s.P90)} | {F(s.P99)} | {F(s.Max)} | {(note.Length > 0 ? note : Ratio(s))} |");
}

Console.WriteLine(md);
Directory.CreateDirectory(outDir);
var file = Path.Combine(outDir, $"dispatch-{DateTime.Now:yyyy-MM-dd}.md");
await File.AppendAllTextAsync(file, (File.Exists(file) ? "\n" : "") + md);
Console.WriteLine($"Appended to {file}");
return 0;

string Ratio(Stats s) => (s.P50 / http.P50).ToString("0.0", CultureInfo.InvariantCulture) + "×";
static string F(double ms) => ms.ToString("0.000", CultureInfo.InvariantCulture);
string? Arg(string name)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}

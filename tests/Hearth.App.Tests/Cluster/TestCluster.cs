using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Hearth.App.Tests.Hosting;
using Hearth.Server.Tests.Fixtures;
using Hearth.Store.Tests.Fixtures;
using Hearth.Testing;

namespace Hearth.App.Tests.Cluster;

/// <summary>
/// Two <c>hearth serve</c> replicas on one real redis-server (host network) and two <c>hearth node</c> agents, each in
/// a
/// network namespace of its own, running python workers of one CPU endpoint (<c>workers: [2, 2]</c>, so one per node;
/// 4 jobs at a time each).
/// Replica 2 starts first and leads the scheduler; the nodes (and their workers) talk to replica 1.
/// </summary>
internal sealed class TestCluster : IDisposable
{
    public const string Key = "cluster-key";
    public const string Admin = "cluster-admin";
    public const string WorkerToken = "cluster-worker";
    public const string NodeToken = "cluster-node";

    /// <summary>Job lease (HEARTH_LEASE_MS): a lost worker's jobs are back in the queue within this plus one
    /// sweep.</summary>
    public const int LeaseMs = 2000;

    /// <summary>Node heartbeat interval and loss timeout (HEARTH_NODE_HEARTBEAT_MS, HEARTH_NODE_LOST_MS).</summary>
    public const int NodeHeartbeatMs = 500;
    public const int NodeLostMs = 2000;

    private readonly List<IDisposable> _owned = [];
    private readonly string _yaml;

    private readonly bool _fsyncAlways;
    private readonly string _data = Path.Combine(Path.GetTempPath(), $"hearth-cluster-redis-{Guid.NewGuid():N}");

    private TestCluster(bool fsyncAlways, string moreEndpoints)
    {
        _fsyncAlways = fsyncAlways;
        _yaml = Path.Combine(Path.GetTempPath(), $"hearth-cluster-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(_yaml, $"""
            endpoints:
              - name: echo
                cpu: cpu3c-1-2
                workers: [2, 2]
                concurrency: 4
                command: python3 -u {Path.Combine(WorkerProcess.RepoRoot(), "samples", "python-worker", "worker.py")}
            """ + moreEndpoints);
    }

    public RedisServerFixture Redis { get; private set; } = null!;

    public Replica R1 { get; private set; } = null!;

    public Replica R2 { get; private set; } = null!;

    public NetworkNamespace HostA { get; private set; } = null!;

    public NetworkNamespace HostB { get; private set; } = null!;

    public AppProcess NodeA { get; private set; } = null!;

    public AppProcess NodeB { get; private set; } = null!;

    /// <summary>
    /// Starts it all; with <paramref name="fsyncAlways"/> the store runs <c>appendfsync always</c> on a data directory
    /// and the replicas in <c>fsync-always</c>; <paramref name="moreEndpoints"/> adds YAML endpoint entries after echo.
    /// </summary>
    public static async Task<TestCluster> StartAsync(bool fsyncAlways = false, string moreEndpoints = "")
    {
        var c = new TestCluster(fsyncAlways, moreEndpoints);
        try
        {
            Directory.CreateDirectory(c._data);
            c.Redis = c.Own(fsyncAlways
                ? RedisServerFixture.StartWith("--save", "", "--appendonly", "yes", "--appendfsync", "always", "--dir", c._data, "--maxmemory-policy", "noeviction")
                : RedisServerFixture.StartWith("--save", "", "--appendonly", "no", "--maxmemory-policy", "noeviction"));
            c.R2 = await c.StartReplicaAsync();
            await Eventually.ValueAsync(async () => (bool?)(await c.R2.ClusterAsync())["leader"]!.GetValue<bool>() == true ? "leader" : null, "replica 2 to lead the scheduler", 30);
            c.R1 = await c.StartReplicaAsync();
            c.HostA = c.Own(NetworkNamespace.Create());
            c.HostB = c.Own(NetworkNamespace.Create());
            c.NodeA = c.StartNode(c.HostA, "node-a");
            c.NodeB = c.StartNode(c.HostB, "node-b");
            await c.SpreadAsync();
            await c.NodeA.WaitForAsync(@"worker \S+ ready", 60);
            await c.NodeB.WaitForAsync(@"worker \S+ ready", 60);
            return c;
        }
        catch
        {
            c.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Makes sure echo has one worker per node. The scheduler places CPU workers on the least-loaded node it knows
    /// and does not move running ones, so when one node registers a tick before the other (a loaded CI machine),
    /// both can land on it; then one of them is killed -9 and its replacement goes to the empty node.
    /// </summary>
    private async Task SpreadAsync()
    {
        await Eventually.ValueAsync(async () =>
        {
            var cluster = await R1.ClusterAsync();
            var listed = EchoNodes(cluster);
            return cluster["nodes"]!.AsArray().Count == 2 && listed.Count == 2 ? "placed" : null;
        }, "both nodes to register and echo's two workers to be placed", 60);
        foreach (var (crowded, empty) in new[] { (NodeA, "node-b"), (NodeB, "node-a") })
        {
            var cluster = await R1.ClusterAsync();
            if (EchoNodes(cluster).Contains(empty))
            {
                continue;
            }

            // One of echo's workers on the crowded node, by the pid its node printed when it started it.
            var victim = cluster["workers"]!.AsArray().Select(w => w!["workerId"]!.GetValue<string>())
                .First(id => id.StartsWith("echo-", StringComparison.Ordinal));
            var pid = await Eventually.ValueAsync(() => Task.FromResult(crowded.Lines
                .Select(l => Regex.Match(l, $@"starting worker {Regex.Escape(victim)} \(pid (\d+)\)"))
                .FirstOrDefault(m => m.Success)?.Groups[1].Value), $"the node to print the pid of {victim}", 60);
            KillWorker(int.Parse(pid, System.Globalization.CultureInfo.InvariantCulture));
            await Eventually.ValueAsync(async () => EchoNodes(await R1.ClusterAsync()).Contains(empty) ? "spread" : null,
                $"a worker placed on {empty}", 60);
        }
    }

    /// <summary>The node of each of echo's listed workers (other endpoints' workers, such as a crash-looping one, do
    /// not count).</summary>
    private static List<string> EchoNodes(JsonObject cluster) =>
        [.. cluster["workers"]!.AsArray()
            .Where(w => w!["workerId"]!.GetValue<string>().StartsWith("echo-", StringComparison.Ordinal))
            .Select(w => w!["node"]!.GetValue<string>())];

    /// <summary>Starts a replica (also to replace a killed one).</summary>
    public async Task<Replica> StartReplicaAsync()
    {
        var app = Own(AppProcess.Start(AppProcess.Built("src/Hearth.Cli", "hearth.dll"),
            new Dictionary<string, string>
            {
                ["HEARTH_LEASE_MS"] = LeaseMs.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["HEARTH_NODE_HEARTBEAT_MS"] = NodeHeartbeatMs.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["HEARTH_NODE_LOST_MS"] = NodeLostMs.ToString(System.Globalization.CultureInfo.InvariantCulture),

                // The bursts here (thousands of submits in seconds) measure kills, not serve's default rate limits.
                ["HEARTH_RATE_LIMITS"] = "off",
            },
            "serve", "--config", _yaml, "--store", $"redis://{Redis.Address}", "--durability", _fsyncAlways ? "fsync-always" : "memory", "--host", "0.0.0.0", "--port", "0",
            "--api-key", Key, "--admin-key", Admin, "--worker-token", WorkerToken, "--node-token", NodeToken));
        var port = int.Parse((await app.WaitForAsync(@"listening on http://[^:/]+:(\d+)")).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        return new Replica(app, port);
    }

    private AppProcess StartNode(NetworkNamespace host, string name) =>
        Own(AppProcess.StartVia(host.Exec("dotnet"), AppProcess.Built("src/Hearth.Cli", "hearth.dll"), new Dictionary<string, string>(),
            "node", "--server", $"http://{host.HostAddress}:{R1.Port}", "--token", NodeToken, "--name", name));

    private T Own<T>(T item)
        where T : IDisposable
    {
        _owned.Add(item);
        return item;
    }

    /// <summary>kill -9 a worker's whole process group (the node started it as a group leader).</summary>
    public static void KillWorker(int pid)
    {
        using var kill = Process.Start("kill", ["-KILL", "--", $"-{pid}"]);
        if (!kill.WaitForExit(TimeSpan.FromSeconds(10)))
        {
            throw new TimeoutException($"kill -KILL -- -{pid} did not return within 10 s.");
        }
    }

    public void Dispose()
    {
        // Nodes before their namespaces, replicas before the store.
        for (var i = _owned.Count - 1; i >= 0; i--)
        {
            try
            {
                _owned[i].Dispose();
            }
#pragma warning disable CA1031 // clean up everything else even when one part fails
            catch (Exception)
#pragma warning restore CA1031
            {
            }
        }

        File.Delete(_yaml);
        if (Directory.Exists(_data))
        {
            Directory.Delete(_data, recursive: true);
        }
    }
}

/// <summary>One <c>hearth serve</c> process and clients for it.</summary>
internal sealed class Replica(AppProcess app, int port)
{
    public AppProcess App => app;

    public int Port => port;

    public string Address => $"http://127.0.0.1:{port}";

    public HttpClient Client(string key, TimeSpan? timeout = null)
    {
        var http = new HttpClient { BaseAddress = new Uri(Address), Timeout = timeout ?? TimeSpan.FromSeconds(10) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return http;
    }

    public async Task<JsonObject> ClusterAsync()
    {
        using var admin = Client(TestCluster.Admin);
        return JsonNode.Parse(await admin.GetStringAsync("/api/cluster"))!.AsObject();
    }
}

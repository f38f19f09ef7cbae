using System.Globalization;

namespace Hearth.Soak.Running;

/// <summary>
/// Two <c>hearth serve</c> replicas sharing one redis-server (<c>appendfsync always</c>, <c>--durability
/// fsync-always</c>), the soak's endpoints named with <c>--endpoint</c> (workers connect by themselves: a
/// <see cref="WorkerFleet"/> through the chaos proxy, which spreads them over the replicas that are up). Plane faults:
/// kill -9 of a replica (restarted 2–4 s later), kill -9 of redis-server (restarted at once), and a store outage
/// (redis-server stopped with SIGSTOP).
/// </summary>
internal sealed class ServePlane(SoakContext soak) : IControlPlane
{
    private readonly int[] _ports = [RedisServer.FreePort(), RedisServer.FreePort()];
    private readonly ChildProcess?[] _replicas = new ChildProcess?[2];
    private RedisServer? _redis;
    private WorkerFleet? _fleet;

    public string Name => "serve";

    public IReadOnlyList<string> ClientUrls => [.. _ports.Select(p => $"http://127.0.0.1:{p}")];

    public IReadOnlyList<int> WorkerPorts() =>
        [.. _ports.Where((_, i) => _replicas[i] is { HasExited: false })];

    public IReadOnlyList<string> PlaneFaults => [FaultKinds.ReplicaKill, FaultKinds.StoreRestart, FaultKinds.StoreOutage];

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _redis = new RedisServer(Path.Combine(soak.Directory, "redis"), RedisServer.FreePort());
        await _redis.StartAsync(cancellationToken).ConfigureAwait(false);
        await Task.WhenAll(StartReplicaAsync(0, cancellationToken), StartReplicaAsync(1, cancellationToken))
            .ConfigureAwait(false);
        _fleet = new WorkerFleet(soak, ClientUrls[0]);
        _fleet.Start();
    }

    private async Task StartReplicaAsync(int i, CancellationToken cancellationToken)
    {
        var replica = ChildProcess.Start("dotnet",
            [SoakContext.HearthDll, "serve", "--store", _redis!.Url, "--port", _ports[i].ToString(CultureInfo.InvariantCulture),
             "--endpoint", $"soak:{SoakJobs.TimeoutMs}", "--endpoint", $"soak-stream:{SoakJobs.TimeoutMs}"],
            soak.HearthEnvironment(), Path.Combine(soak.Directory, "logs", $"replica-{i + 1}.log"), soak.Directory);
        _replicas[i] = replica;
        await replica.WaitForAsync("listening on", TimeSpan.FromSeconds(120), cancellationToken).ConfigureAwait(false);
    }

    public async Task ApplyAsync(string kind, Random random, CancellationToken cancellationToken)
    {
        var history = soak.History;
        var started = history.Now;
        string target;
        switch (kind)
        {
            case FaultKinds.ReplicaKill:
                var i = random.Next(2);
                target = $"replica {i + 1} (pid {_replicas[i]!.Pid})";
                _replicas[i]!.KillHard();
                await _replicas[i]!.WaitForExitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
                _replicas[i]!.Dispose();
                await Task.Delay(TimeSpan.FromMilliseconds(random.Next(2000, 4000)), soak.Time, cancellationToken).ConfigureAwait(false);
                await StartReplicaAsync(i, cancellationToken).ConfigureAwait(false);
                break;
            case FaultKinds.StoreRestart:
                target = $"redis-server (pid {_redis!.Pid})";
                await _redis.RestartHardAsync(cancellationToken).ConfigureAwait(false);
                break;
            case FaultKinds.StoreOutage:
                target = $"redis-server (pid {_redis!.Pid}) stopped";
                _redis.Pause();
                try
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(soak.Options.StoreOutageMs), soak.Time, cancellationToken).ConfigureAwait(false);
                }
                finally
                {
                    _redis.Resume();
                }

                break;
            default:
                throw new NotSupportedException(kind);
        }

        var ended = history.Now;
        history.Write(new History.HistoryEvent { Type = History.EventTypes.Fault, Kind = kind, T = started, Until = ended, Target = target });
        history.Write(new History.HistoryEvent
        {
            Type = History.EventTypes.Outage, Kind = kind, T0 = started, Until = ended, T = ended, Target = target,
        });
    }

    public async ValueTask DisposeAsync()
    {
        if (_fleet is not null)
        {
            await _fleet.DisposeAsync().ConfigureAwait(false);
        }

        foreach (var replica in _replicas)
        {
            if (replica is not null)
            {
                await replica.StopAsync(TimeSpan.FromSeconds(20)).ConfigureAwait(false);
                replica.Dispose();
            }
        }

        _redis?.Dispose();
    }
}

using System.Security.Cryptography;
using Hearth.App.Hosting;
using Hearth.Core.Placement;
using Hearth.Core.Scaling;
using Hearth.Core.Wire;
using Hearth.Server.Nodes;
using Hearth.Store.Nodes;
using Hearth.Store;

namespace Hearth.App.Scaling;

/// <summary>
/// The autoscaler of <c>serve</c>: while this replica holds the scheduler leadership (one replica at a time, fenced by
/// an epoch; another takes over within one leadership lease after it dies), every second it marks nodes whose heartbeat
/// is older than <c>NodeLostAfter</c> as lost (their workers are dropped: counted lost, their jobs requeued by lease
/// expiry), runs <see cref="ScalingPolicy"/> per endpoint over the workers assigned to live nodes, and places new
/// workers with <see cref="Placer"/> across the nodes' inventories (GPU endpoints: the tightest fitting cards on any
/// node; CPU endpoints: the node with the fewest workers). Node agents pick their assignments up and run them.
/// </summary>
internal sealed class NodeScheduler : IAsyncDisposable
{
    private static readonly TimeSpan Tick = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The leadership lease: a new leader takes over at most this long after the old one stopped renewing. Default 5 s.
    /// </summary>
    public static readonly TimeSpan LeadershipLease = TimeSpan.FromSeconds(5);

    private readonly IHearthStore _store;
    private readonly NodeRegistry _nodes;
    private readonly ClusterLeadership _leadership;
    private readonly IReadOnlyList<DevEndpoint> _endpoints;
    private readonly TimeSpan _lostAfter;
    private readonly TimeSpan _unseenLimit;
    private readonly TextWriter _out;
    private readonly TimeProvider _time;
    private readonly string _owner;
    private readonly Dictionary<string, ObservedWorker> _states = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _throttled = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private Task _loop = Task.CompletedTask;

    public NodeScheduler(
        IHearthStore store, NodeRegistry nodes, ClusterLeadership leadership, IReadOnlyList<DevEndpoint> endpoints,
        string owner, TimeSpan lostAfter, TimeSpan unseenLimit, TextWriter output, TimeProvider time)
    {
        _store = store;
        _nodes = nodes;
        _leadership = leadership;
        _endpoints = endpoints;
        _owner = owner;
        _lostAfter = lostAfter;
        _unseenLimit = unseenLimit;
        _out = output;
        _time = time;
    }

    public void Start() => _loop = RunAsync(_stop.Token);

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                var tick = Task.Delay(Tick, _time, cancellationToken);
                try
                {
                    await TickAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is StackExchange.Redis.RedisException or TimeoutException)
                {
                    _leadership.Epoch = 0;
                    await _out.WriteLineAsync($"  scheduler: the store is unreachable ({e.Message}); retrying")
                        .ConfigureAwait(false);
                }

                await tick.ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    private async Task TickAsync(CancellationToken cancellationToken)
    {
        var epoch = await _store.TryLeadAsync("scheduler", _owner, LeadershipLease, cancellationToken)
            .ConfigureAwait(false);
        if (epoch != _leadership.Epoch)
        {
            await _out.WriteLineAsync(
                epoch > 0
                    ? $"  scheduler: this replica leads now (epoch {epoch})"
                    : "  scheduler: another replica leads")
                .ConfigureAwait(false);
            _states.Clear(); // what a previous term saw is stale
        }

        _leadership.Epoch = epoch;
        if (epoch == 0)
        {
            return;
        }

        var now = _time.GetUtcNow();
        var live = await MarkLostAsync(now, cancellationToken).ConfigureAwait(false);
        var (_, assignments) = await _nodes.AssignmentsAsync(cancellationToken).ConfigureAwait(false);
        var liveNames = live.Select(n => n.Name).ToHashSet(StringComparer.Ordinal);
        var current = new List<WorkerAssignment>();
        foreach (var a in assignments)
        {
            if (liveNames.Contains(a.Node))
            {
                current.Add(a);
            }
            else
            {
                await _nodes.UnassignAsync(a.WorkerId, a.Node, cancellationToken)
                    .ConfigureAwait(false); // its node is gone
            }
        }

        foreach (var endpoint in _endpoints)
        {
            await ScaleAsync(endpoint, live, current, now, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<List<NodeRecord>> MarkLostAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var live = new List<NodeRecord>();
        var nowMs = now.ToUnixTimeMilliseconds();
        foreach (var node in await _nodes.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            if (node.Lost)
            {
                continue;
            }

            var silent = TimeSpan.FromMilliseconds(nowMs - node.LastSeenMs);
            if (silent <= _lostAfter)
            {
                live.Add(node);
                continue;
            }

            if (await _nodes.MarkLostAsync(
                    node.Name, nowMs - (long)_lostAfter.TotalMilliseconds, nowMs, cancellationToken)
                .ConfigureAwait(false) is { } dropped)
            {
                await _out.WriteLineAsync(
                    $"  node {node.Name} lost: no heartbeat for {silent.TotalSeconds:0.0} s " +
                    $"(limit {_lostAfter.TotalSeconds:0.#} s); " +
                    $"workers counted lost: {(dropped.Count == 0 ? "none" : string.Join(", ", dropped))}")
                    .ConfigureAwait(false);
            }
        }

        return live;
    }

    private async Task ScaleAsync(
        DevEndpoint endpoint, List<NodeRecord> live, List<WorkerAssignment> current, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        var spec = endpoint.Spec;
        var view = await _store.ViewAsync(spec.Name, cancellationToken).ConfigureAwait(false);
        await KillRunawaysAsync(view, current, now, cancellationToken).ConfigureAwait(false);

        // A killed worker keeps its cards until its node reports the exit, but no longer counts: its replacement
        // is placed at once.
        var mine = current.Where(a => a.Endpoint == spec.Name && a.Killed is null).ToList();
        var workers = mine
            .Select(a => new WorkerSnapshot(a.WorkerId, Observe(a, view, now), _states[a.WorkerId].Since))
            .ToList();
        var oldest = view.OldestSubmittedMs is { } ms
            ? now - DateTimeOffset.FromUnixTimeMilliseconds(ms)
            : TimeSpan.Zero;
        var snapshot = new EndpointSnapshot(
            spec, view.InQueue, view.InQueueLowPriority, oldest < TimeSpan.Zero ? TimeSpan.Zero : oldest,
            view.InProgress, workers);
        var decision = ScalingPolicy.Decide(snapshot, now);
        for (var i = 0; i < decision.Start; i++)
        {
            var placed = Place(endpoint, live, current, now);
            if (placed is null)
            {
                break;
            }

            await _nodes.AssignAsync(placed, cancellationToken).ConfigureAwait(false);
            current.Add(placed);
            await _out.WriteLineAsync($"  {spec.Name}: worker {placed.WorkerId} placed on node {placed.Node}" +
                (placed.GpuIndexes.Count > 0 ? $" (GPUs {string.Join(",", placed.GpuIndexes)})" : string.Empty) +
                $" ({decision.Reason})").ConfigureAwait(false);
        }

        foreach (var id in decision.Stop)
        {
            await _nodes.UnassignAsync(id, null, cancellationToken).ConfigureAwait(false);
            _states.Remove(id);
            current.RemoveAll(a => a.WorkerId == id);
        }

        if (decision.Stop.Count > 0)
        {
            await _out.WriteLineAsync($"  {spec.Name}: -{decision.Stop.Count} worker(s) ({decision.Reason})")
                .ConfigureAwait(false);
        }
    }

    /// <summary>Orders the node of each worker past the <see cref="RunawayRule"/> to kill it at once.</summary>
    private async Task KillRunawaysAsync(Hearth.Store.Jobs.EndpointView view, List<WorkerAssignment> current,
        DateTimeOffset now, CancellationToken cancellationToken)
    {
        foreach (var runaway in view.Runaways)
        {
            var i = current.FindIndex(a => a.WorkerId == runaway.WorkerId && a.Killed is null);
            if (i < 0 || RunawayRule.KillReason(runaway.JobId, runaway.StopIssuedMs, now) is not { } why
                || !await _nodes.KillAsync(runaway.WorkerId, why, cancellationToken).ConfigureAwait(false))
            {
                continue;
            }

            current[i] = current[i] with { Killed = why };
            _states.Remove(runaway.WorkerId);
            await _out.WriteLineAsync($"  {current[i].Endpoint}: killing worker {runaway.WorkerId} on node " +
                $"{current[i].Node}: {why}; placing a replacement").ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The worker's state by <see cref="ObservedWorker"/>, initializing since its assignment was made.
    /// </summary>
    private WorkerState Observe(WorkerAssignment a, Hearth.Store.Jobs.EndpointView view, DateTimeOffset now)
    {
        var known = _states.TryGetValue(a.WorkerId, out var k)
            ? k
            : ObservedWorker.Starting(DateTimeOffset.FromUnixTimeMilliseconds(a.CreatedMs));
        long? seen = view.LastSeenMs.TryGetValue(a.WorkerId, out var seenMs) ? seenMs : null;
        var next = known.Observe(seen, view.Holding.ContainsKey(a.WorkerId), now, _unseenLimit);
        _states[a.WorkerId] = next;
        return next.State;
    }

    private WorkerAssignment? Place(
        DevEndpoint endpoint, List<NodeRecord> live, List<WorkerAssignment> current, DateTimeOffset now)
    {
        var spec = endpoint.Spec;
        var workerId = $"{spec.Name}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}";

        // Least-loaded first: CPU workers spread over nodes; GPU placement picks the tightest fit whatever the order.
        var nodes = live.OrderBy(n => current.Count(a => a.Node == n.Name)).ThenBy(n => n.Name, StringComparer.Ordinal)
            .Select(n => n.Inventory with { NodeId = n.Name }).ToList();
        var reservations = current.Where(a => a.GpuIndexes.Count > 0)
            .Select(a => new GpuReservation(a.WorkerId, a.Node, a.GpuIndexes, a.BytesPerGpu)).ToList();
        var result = Placer.Place(new PlacementRequest(workerId, spec, endpoint.BytesPerGpu), nodes, reservations);
        if (result is Throttled throttled)
        {
            if (_throttled.GetValueOrDefault(spec.Name) != throttled.Reason)
            {
                _out.WriteLine($"  {spec.Name}: Throttled: {throttled.Reason}");
            }

            _throttled[spec.Name] = throttled.Reason;
            return null;
        }

        _throttled.Remove(spec.Name);
        var placed = (Placed)result;
        var node = nodes.First(n => n.NodeId == placed.NodeId);
        var env = WorkerEnvironment.ForEndpoint(spec, EnvReferences.Expand);
        WorkerEnvironment.AddGpus(env, placed.GpuIndexes,
            [.. placed.GpuIndexes.Select(i => node.Gpus.First(g => g.Index == i).Name)]);

        return new WorkerAssignment(
            workerId, spec.Name, placed.NodeId, placed.GpuIndexes, placed.Reservation?.BytesPerGpu, spec.Command,
            endpoint.WorkingDirectory, env, now.ToUnixTimeMilliseconds());
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        _stop.Dispose();
    }
}

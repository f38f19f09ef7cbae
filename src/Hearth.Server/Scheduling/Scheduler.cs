using System.Text.Json;
using Hearth.Core.Scaling;
using Hearth.Server.Admin;
using Hearth.Server.Jobs;
using Hearth.Server.Nodes;
using Hearth.Server.Observability;
using Hearth.Store;
using Hearth.Store.Nodes;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Hearth.Server.Scheduling;

/// <summary>
/// The one scheduler, for <c>dev</c> and <c>serve</c> alike. While this control plane holds the scheduler leadership
/// in the store (one at a time, fenced by an epoch; another takes over within <see cref="LeadershipLease"/> after it
/// stops renewing), every second — and at once when work arrives — it reads what its <see cref="IWorkerProvider"/>
/// runs, moves each worker's <see cref="ObservedWorker"/> state, counts crashes (<see cref="CrashLoop"/>), kills
/// runaways (<see cref="RunawayRule"/>), runs <see cref="ScalingPolicy"/> per endpoint and places new workers
/// (<see cref="WorkerPlacement"/>). An endpoint never has more workers than its max, whatever is crashing; none
/// starts while a crash backoff runs.
/// </summary>
public sealed partial class Scheduler : BackgroundService, IWorkerDirectory
{
    /// <summary>The leadership lease: a new leader takes over at most this long after the old one stopped. 5
    /// s.</summary>
    public static readonly TimeSpan LeadershipLease = TimeSpan.FromSeconds(5);

    private static readonly TimeSpan Tick = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MinGap = TimeSpan.FromMilliseconds(25);
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly IEndpointStore _store;
    private readonly IWorkerProvider _provider;
    private readonly JobSignals _signals;
    private readonly ClusterLeadership _leadership;
    private readonly HearthMetrics? _metrics;
    private readonly SchedulerOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly WorkerPlacement _placement;
    private readonly Dictionary<string, EndpointWorkers> _endpoints;
    private readonly EndpointBoard? _board;
    private readonly JobService? _jobs;
    private readonly ProtocolDetector? _detector;
    private volatile Published _published = new(0, new Dictionary<string, EndpointStatus>());
    private bool _warmed;
    private long _boardAt = long.MinValue;

    private sealed record Published(long AtMs, IReadOnlyDictionary<string, EndpointStatus> Statuses);

    /// <summary>Creates the scheduler; <see cref="BackgroundService.StartAsync"/> starts its loop.</summary>
    /// <param name="endpoints">The endpoints whose workers it runs.</param>
    /// <param name="provider">Where the workers run.</param>
    /// <param name="store">The store (queue views, leadership).</param>
    /// <param name="signals">Wake-ups when work arrives.</param>
    /// <param name="leadership">Where this replica's epoch is published.</param>
    /// <param name="options">Owner, limits and hooks.</param>
    /// <param name="time">The clock.</param>
    /// <param name="logger">Receives every decision.</param>
    /// <param name="metrics">Records cold starts, when given.</param>
    /// <param name="board">Where the leader publishes the endpoints' states for the other replicas, when given.</param>
    /// <param name="jobs">When given, the jobs a worker held when its process ended run again at once, rather than
    /// when their leases expire.</param>
    /// <param name="detector">When given, what workers showed of themselves settles <c>protocol: auto</c>
    /// endpoints; without it they stay on pull.</param>
    public Scheduler(IReadOnlyList<ScheduledEndpoint> endpoints, IWorkerProvider provider, IEndpointStore store,
        JobSignals signals, ClusterLeadership leadership, SchedulerOptions options, TimeProvider time,
        ILogger<Scheduler> logger, HearthMetrics? metrics = null, EndpointBoard? board = null, JobService? jobs = null,
        ProtocolDetector? detector = null)
    {
        _board = board;
        _jobs = jobs;
        _detector = detector;
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(options);
        _provider = provider;
        _store = store;
        _signals = signals;
        _leadership = leadership;
        _options = options;
        _time = time;
        _logger = logger;
        _metrics = metrics;
        _placement = new WorkerPlacement(options.CpuFallback, options.Expand);
        _endpoints = endpoints.ToDictionary(e => e.Spec.Name, e => new EndpointWorkers(e), StringComparer.Ordinal);
    }

    /// <summary>
    /// The endpoint as the leader sees it: live on the leader, as last published on the other replicas (while that
    /// is recent); null when this scheduler does not run it or nothing recent was published.
    /// </summary>
    /// <param name="endpoint">The endpoint's name.</param>
    /// <returns>Its state, reason and workers, or null.</returns>
    public EndpointStatus? Describe(string endpoint)
    {
        if (!_endpoints.TryGetValue(endpoint, out var e))
        {
            return null;
        }

        if (_leadership.Epoch > 0)
        {
            return e.Status(_placement, _provider.Volume(e.Endpoint.Spec));
        }

        var published = _published;
        var age = _time.GetUtcNow().ToUnixTimeMilliseconds() - published.AtMs;
        return age <= LeadershipLease.TotalMilliseconds * 2 ? published.Statuses.GetValueOrDefault(endpoint) : null;
    }

    /// <inheritdoc/>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (true)
            {
                // Take the wake-ups before looking, so a submit during the tick is not missed.
                var work = Task.WhenAny(_endpoints.Keys.Select(_signals.NextWork));
                var tick = Task.Delay(Tick, _time, stoppingToken);
                try
                {
                    await TickAsync(stoppingToken).ConfigureAwait(false);
                }
                catch (Exception e) when (StoreFaults.IsStoreFailure(e) && !stoppingToken.IsCancellationRequested)
                {
                    _leadership.Epoch = 0;
                    Log.StoreUnreachable(_logger, e.Message);
                }

                // A scaled-to-zero endpoint must not wait for the next tick to start its first worker; under a stream
                // of submits, ticks still come at most every MinGap.
                var started = _time.GetTimestamp();
                await Task.WhenAny(tick, work).ConfigureAwait(false);
                var left = MinGap - _time.GetElapsedTime(started);
                if (left > TimeSpan.Zero)
                {
                    await Task.Delay(left, _time, stoppingToken).ConfigureAwait(false);
                }

                stoppingToken.ThrowIfCancellationRequested();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    internal async Task TickAsync(CancellationToken cancellationToken)
    {
        var epoch = await _store.TryLeadAsync("scheduler", _options.Owner, LeadershipLease, cancellationToken)
            .ConfigureAwait(false);
        if (epoch != _leadership.Epoch)
        {
            if (epoch > 0)
            {
                Log.Leads(_logger, epoch);
            }
            else
            {
                Log.Follows(_logger);
            }
        }

        _leadership.Epoch = epoch;
        if (epoch == 0)
        {
            await ReadBoardAsync(cancellationToken).ConfigureAwait(false);
            return;
        }

        var now = _time.GetUtcNow();
        var fleet = await _provider.ReadAsync(now, cancellationToken).ConfigureAwait(false);
        foreach (var exit in fleet.Exits)
        {
            Exited(exit, now);
            await LoseJobsAsync(exit, cancellationToken).ConfigureAwait(false);
        }

        var workers = fleet.Workers.ToList();
        foreach (var endpoint in _endpoints.Values)
        {
            await ScaleAsync(endpoint, fleet, workers, now, cancellationToken).ConfigureAwait(false);
        }

        _warmed = true;
        await PublishAsync(now, cancellationToken).ConfigureAwait(false);
    }

    private async Task PublishAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (_board is null || !BoardDue())
        {
            return;
        }

        var statuses = _endpoints.Values.ToDictionary(e => e.Endpoint.Spec.Name,
            e => JsonSerializer.Serialize(e.Status(_placement, _provider.Volume(e.Endpoint.Spec)), Json),
            StringComparer.Ordinal);
        await _board.PublishAsync(statuses, now.ToUnixTimeMilliseconds(), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The board is written (leader) or read (others) at most once a tick, however often work wakes
    /// us.</summary>
    private bool BoardDue()
    {
        var now = _time.GetTimestamp();
        if (_boardAt != long.MinValue && _time.GetElapsedTime(_boardAt, now) < Tick)
        {
            return false;
        }

        _boardAt = now;
        return true;
    }

    private async Task ReadBoardAsync(CancellationToken cancellationToken)
    {
        if (_board is null || !BoardDue())
        {
            return;
        }

        var (at, statuses) = await _board.ReadAsync(cancellationToken).ConfigureAwait(false);
        _published = new Published(at, statuses.Where(s => _endpoints.ContainsKey(s.Key))
            .ToDictionary(s => s.Key, s => JsonSerializer.Deserialize<EndpointStatus>(s.Value, Json)!,
                StringComparer.Ordinal));
    }

    private async Task ScaleAsync(EndpointWorkers endpoint, Fleet fleet, List<FleetWorker> workers,
        DateTimeOffset now, CancellationToken cancellationToken)
    {
        var spec = endpoint.Endpoint.Spec;
        var view = await _store.ViewAsync(spec.Name, cancellationToken).ConfigureAwait(false);
        var listed = workers.Where(w => w.Endpoint == spec.Name).ToList();
        foreach (var (id, ms) in endpoint.Update(listed, fleet.Nodes, view, now, _options.UnseenLimit,
                     _options.Restarts))
        {
            _metrics?.ColdStart(spec.Name, ms);
            _options.Ready?.Invoke(id);
            Log.Ready(_logger, spec.Name, id, ms);
        }

        await KillRunawaysAsync(endpoint, view, workers, cancellationToken).ConfigureAwait(false);
        await SettleProtocolAsync(endpoint, workers, cancellationToken).ConfigureAwait(false);
        var decision = ScalingPolicy.Decide(endpoint.Snapshot(view, now), now);
        var counted = workers.Count(w => w.Endpoint == spec.Name && w.Leaving is null);
        var wanted = _options.WarmStart && !_warmed
            ? Math.Max(decision.Start, Math.Max(spec.WorkersMin, 1) - counted)
            : decision.Start;
        var start = Math.Min(wanted, spec.WorkersMax - counted); // the max holds, whatever is crashing
        if (start > 0 && endpoint.Crashes.MayStart(now))
        {
            var started = await StartAsync(endpoint, fleet, workers, start, now, cancellationToken)
                .ConfigureAwait(false);
            if (started > 0)
            {
                Log.ScaledUp(_logger, spec.Name, started, decision.Start > 0 ? decision.Reason : "warm start");
            }
        }

        foreach (var id in decision.Stop)
        {
            endpoint.Stopping(id);
            workers.RemoveAll(w => w.WorkerId == id);
            await _provider.StopAsync(id, cancellationToken).ConfigureAwait(false);
        }

        if (decision.Stop.Count > 0)
        {
            Log.ScaledDown(_logger, spec.Name, decision.Stop.Count, decision.Reason);
        }
    }

    private async Task<int> StartAsync(EndpointWorkers endpoint, Fleet fleet, List<FleetWorker> workers, int count,
        DateTimeOffset now, CancellationToken cancellationToken)
    {
        var name = endpoint.Endpoint.Spec.Name;
        for (var i = 0; i < count; i++)
        {
            var (order, throttled) = _placement.Place(endpoint.Endpoint, fleet.Nodes, workers, now, endpoint.Settled);
            if (order is null)
            {
                if (endpoint.Throttled != throttled)
                {
                    Log.Throttled(_logger, name, throttled!);
                }

                endpoint.Throttled = throttled;
                return i;
            }

            endpoint.Throttled = null;
            var worker = new FleetWorker(order.WorkerId, name, order.Node, order.GpuIndexes, order.BytesPerGpu, now);
            endpoint.Ordered(worker);
            workers.Add(worker);
            await _provider.StartAsync(order, cancellationToken).ConfigureAwait(false);
            Log.Placed(_logger, name, order.WorkerId, order.Node,
                order.GpuIndexes.Count > 0 ? $" (GPUs {string.Join(",", order.GpuIndexes)})" : string.Empty);
        }

        return count;
    }
}

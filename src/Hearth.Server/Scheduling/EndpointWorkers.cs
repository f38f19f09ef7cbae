using Hearth.Core.Endpoints;
using Hearth.Core.Placement;
using Hearth.Core.Scaling;
using Hearth.Server.Admin;
using Hearth.Store.Jobs;

namespace Hearth.Server.Scheduling;

/// <summary>
/// One endpoint's workers as the scheduler sees them: each worker's <see cref="ObservedWorker"/> state from what the
/// store saw of it, cold starts (order → first job-take), the <see cref="CrashLoop"/>, why placement is throttled and
/// the last runaway kill. Written by the scheduler's loop; read by the admin API (<see cref="Status"/>).
/// </summary>
internal sealed class EndpointWorkers(ScheduledEndpoint endpoint)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Tracked> _workers = new(StringComparer.Ordinal);
    private readonly List<double> _coldStarts = [];
    private IReadOnlyList<NodeInventory> _nodes = [];

    public ScheduledEndpoint Endpoint => endpoint;

    public CrashLoop Crashes { get; private set; } = CrashLoop.None;

    /// <summary>Why no worker can be placed now, or null.</summary>
    public string? Throttled { get; set; }

    /// <summary>Why the last runaway worker was killed.</summary>
    public string? LastKill { get; private set; }

    private sealed class Tracked(FleetWorker worker)
    {
        public FleetWorker Worker { get; set; } = worker;

        public ObservedWorker Observed { get; set; } = ObservedWorker.Starting(worker.StartedAt);

        public double? ColdStartMs { get; set; }

        public long Finished { get; set; }
    }

    /// <summary>
    /// Moves every worker listed for this endpoint to its current state (new ones start Initializing, gone ones are
    /// forgotten); returns the workers that just became ready, with their cold start.
    /// </summary>
    public IReadOnlyList<(string WorkerId, double ColdStartMs)> Update(
        IReadOnlyList<FleetWorker> listed, IReadOnlyList<NodeInventory> nodes, EndpointView view, DateTimeOffset now,
        TimeSpan unseenLimit, RestartPolicy policy)
    {
        var ready = new List<(string, double)>();
        lock (_gate)
        {
            _nodes = nodes;
            var ids = listed.Select(w => w.WorkerId).ToHashSet(StringComparer.Ordinal);
            foreach (var gone in _workers.Keys.Where(id => !ids.Contains(id)).ToList())
            {
                _workers.Remove(gone);
            }

            foreach (var worker in listed)
            {
                var w = _workers.TryGetValue(worker.WorkerId, out var known) ? known : new Tracked(worker);
                _workers[worker.WorkerId] = w;
                w.Worker = worker;
                long? seen = view.LastSeenMs.TryGetValue(worker.WorkerId, out var seenMs) ? seenMs : null;
                if (seen is not null)
                {
                    if (w.ColdStartMs is null)
                    {
                        w.ColdStartMs = Math.Max(0, seenMs - worker.StartedAt.ToUnixTimeMilliseconds());
                        _coldStarts.Add(w.ColdStartMs.Value);
                        ready.Add((worker.WorkerId, w.ColdStartMs.Value));
                    }

                    w.Finished = view.Finished.GetValueOrDefault(worker.WorkerId);
                }

                w.Observed = w.Observed.Observe(seen, view.Holding.ContainsKey(worker.WorkerId), now, unseenLimit);
            }

            Crashes = Crashes.Running(listed.Where(w => w.Leaving is null).Select(w => w.StartedAt), now, policy);
        }

        return ready;
    }

    /// <summary>A worker of this endpoint exited; one that was not asked to counts as a crash.</summary>
    public void Exited(FleetExit exit, DateTimeOffset now, RestartPolicy policy)
    {
        lock (_gate)
        {
            var startedAt = _workers.Remove(exit.WorkerId, out var w) ? w.Worker.StartedAt : now;
            if (!exit.Requested)
            {
                Crashes = Crashes.Exited(exit.WorkerId, exit.ExitCode, exit.LastLines, now - startedAt, now, policy);
            }
        }
    }

    /// <summary>A worker was ordered: it counts (Initializing) from now on.</summary>
    public void Ordered(FleetWorker worker)
    {
        lock (_gate)
        {
            _workers[worker.WorkerId] = new Tracked(worker);
        }
    }

    /// <summary>
    /// The protocol an <see cref="WorkerProtocol.Auto"/> endpoint settled on (its workers started from then on use
    /// it); null while it has not, and for endpoints that name theirs.
    /// </summary>
    public WorkerProtocol? Settled { get; set; }

    /// <summary>A runaway worker is being killed: it no longer counts.</summary>
    public void Killed(string workerId, string reason)
    {
        lock (_gate)
        {
            LastKill = $"worker {workerId} {reason}";
            if (_workers.TryGetValue(workerId, out var w))
            {
                w.Worker = w.Worker with { Leaving = reason };
            }
        }
    }

    /// <summary>A worker is being stopped (scale-down): it no longer counts.</summary>
    public void Stopping(string workerId)
    {
        lock (_gate)
        {
            _workers.Remove(workerId);
        }
    }

    /// <summary>What the scaling policy decides on: the queue, and the workers that count (not being killed).</summary>
    public EndpointSnapshot Snapshot(EndpointView view, DateTimeOffset now)
    {
        lock (_gate)
        {
            var oldest = view.OldestSubmittedMs is { } ms
                ? now - DateTimeOffset.FromUnixTimeMilliseconds(ms)
                : TimeSpan.Zero;
            return new EndpointSnapshot(endpoint.Spec, view.InQueue, view.InQueueLowPriority,
                oldest < TimeSpan.Zero ? TimeSpan.Zero : oldest, view.InProgress,
                [.. Counted().Select(w => new WorkerSnapshot(w.Worker.WorkerId, w.Observed.State, w.Observed.Since))]);
        }
    }

    /// <summary>The endpoint's state and workers for the admin API and for a queued job's <c>waiting</c>.</summary>
    public EndpointStatus Status(WorkerPlacement placement, VolumeInfo? volume)
    {
        var spec = endpoint.Spec;
        lock (_gate)
        {
            var counted = Counted().ToList();
            var workers = counted.Select(w => new WorkerInfo(w.Worker.WorkerId, spec.Name,
                w.Observed.State.ToString(), w.Observed.Since, w.Worker.ProcessId, w.ColdStartMs, w.Finished,
                placement.Gpus(w.Worker, _nodes, spec.IsCpu))).ToList();
            var (state, reason) = EndpointCondition.Of(spec, [.. counted.Select(w => w.Observed.State)], Throttled,
                Crashes, LastKill);
            var sorted = _coldStarts.Order().ToArray();
            return new EndpointStatus(state, reason, workers, Percentile(sorted, 0.5), Percentile(sorted, 0.9),
                sorted.Length, volume, _workers.Values.Sum(w => WorkerPlacement.ReservedBytes(w.Worker, _nodes)),
                new EndpointSettings(spec.Cpu ?? (spec.Gpu.Count > 0 ? string.Join(" > ", spec.Gpu) : "cpu"),
                    spec.WorkersMin, spec.WorkersMax, spec.IdleTimeout.TotalSeconds, spec.Concurrency, spec.MaxSteps));
        }
    }

    private IEnumerable<Tracked> Counted() => _workers.Values.Where(w => w.Worker.Leaving is null);

    private static double? Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? null : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
}

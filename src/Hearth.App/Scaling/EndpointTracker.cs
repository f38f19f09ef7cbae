using Hearth.App.Gpus;
using Hearth.App.Hosting;
using Hearth.Core.Endpoints;
using Hearth.Core.Scaling;
using Hearth.Scaling.Processes;
using Hearth.Server.Admin;
using Hearth.Store.Jobs;

namespace Hearth.App.Scaling;

/// <summary>
/// One endpoint's workers as the scheduler sees them, from the processes it started and what the store saw of them:
/// <c>Initializing</c> until a worker's first job-take, then <c>Running</c> while it holds a job and <c>Idle</c>
/// otherwise;
/// <c>Unhealthy</c> when it stops showing up. Also measures cold starts: scale-up decision → first job-take.
/// </summary>
internal sealed class EndpointTracker(
    EndpointSpec spec, WorkerPool pool, TimeSpan unseenLimit, Volumes volumes, GpuPlacement placement)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Tracked> _workers = new(StringComparer.Ordinal);
    private readonly Queue<DateTimeOffset> _decisions = new();
    private readonly List<double> _coldStarts = [];

    public EndpointSpec Spec => spec;

    public WorkerPool Pool => pool;

    private sealed class Tracked(WorkerHandle handle, DateTimeOffset decidedAt)
    {
        public WorkerHandle Handle { get; } = handle;

        public DateTimeOffset DecidedAt { get; } = decidedAt;

        public double? ColdStartMs { get; set; }

        public ObservedWorker Observed { get; set; } = ObservedWorker.Starting(handle.StartedAt);

        public long Finished { get; set; }
    }

    /// <summary>Records a scale-up decision; the next worker started is charged from this moment.</summary>
    public void Decided(DateTimeOffset at, int count)
    {
        lock (_gate)
        {
            for (var i = 0; i < count; i++)
            {
                _decisions.Enqueue(at);
            }
        }
    }

    public void Started(WorkerHandle handle)
    {
        lock (_gate)
        {
            _workers[handle.WorkerId] =
                new Tracked(handle, _decisions.Count > 0 ? _decisions.Dequeue() : handle.StartedAt);
        }
    }

    /// <summary>Why no worker of this endpoint can be placed now, or null.</summary>
    public string? Throttled => placement.ThrottledReason(spec.Name);

    /// <summary>Why the last worker was killed, for the admin API.</summary>
    public string? LastKill { get; private set; }

    /// <summary>
    /// Kills and replaces a runaway worker of this endpoint; false when it is not ours (or already gone).
    /// </summary>
    public bool Kill(string workerId, string reason, DateTimeOffset now)
    {
        lock (_gate)
        {
            if (!_workers.Remove(workerId))
            {
                return false;
            }

            LastKill = $"worker {workerId} {reason}";

            // The pool starts the replacement; until it does, it counts as starting so the policy adds no other.
            _decisions.Enqueue(now);
        }

        pool.Replace(workerId);
        return true;
    }

    public void Forget(string workerId)
    {
        lock (_gate)
        {
            _workers.Remove(workerId);
        }
    }

    /// <summary>
    /// Moves every worker to its current state; returns the workers that just became ready, with their cold start.
    /// </summary>
    public IReadOnlyList<(string WorkerId, double ColdStartMs)> Update(EndpointView view, DateTimeOffset now)
    {
        var ready = new List<(string, double)>();
        var alive = pool.Workers.Select(w => w.WorkerId).ToHashSet(StringComparer.Ordinal);
        lock (_gate)
        {
            foreach (var id in _workers.Keys.Where(id => !alive.Contains(id)).ToList())
            {
                _workers.Remove(id);
            }

            foreach (var (id, w) in _workers)
            {
                long? seen = view.LastSeenMs.TryGetValue(id, out var seenMs) ? seenMs : null;
                if (seen is not null)
                {
                    if (w.ColdStartMs is null)
                    {
                        w.ColdStartMs = Math.Max(0, seenMs - w.DecidedAt.ToUnixTimeMilliseconds());
                        _coldStarts.Add(w.ColdStartMs.Value);
                        ready.Add((id, w.ColdStartMs.Value));
                    }

                    w.Finished = view.Finished.GetValueOrDefault(id);
                }

                w.Observed = w.Observed.Observe(seen, view.Holding.ContainsKey(id), now, unseenLimit);
            }
        }

        return ready;
    }

    public EndpointSnapshot Snapshot(EndpointView view, DateTimeOffset now)
    {
        lock (_gate)
        {
            var oldest = view.OldestSubmittedMs is { } ms
                ? now - DateTimeOffset.FromUnixTimeMilliseconds(ms)
                : TimeSpan.Zero;
            // Workers the pool owes count as starting: decided but not started yet, a replacement on its way, or a
            // restart after a crash the pool is backing off from. Never more than the pool's desired count, so a
            // crash-looping command cannot make the policy add workers on top of the ones the pool restarts.
            var owed = Math.Max(0, pool.Desired - pool.Workers.Count - _decisions.Count);
            var pending = _decisions.Concat(Enumerable.Repeat(now, owed))
                .Select((at, i) => new WorkerSnapshot($"pending-{i}", WorkerState.Initializing, at));
            return new EndpointSnapshot(spec, view.InQueue, view.InQueueLowPriority,
                oldest < TimeSpan.Zero ? TimeSpan.Zero : oldest, view.InProgress,
                [.. _workers.Select(w => new WorkerSnapshot(w.Key, w.Value.Observed.State, w.Value.Observed.Since)),
                 .. pending]);
        }
    }

    public EndpointStatus Status()
    {
        lock (_gate)
        {
            var workers = _workers.Values.Select(w => new WorkerInfo(w.Handle.WorkerId, spec.Name,
                w.Observed.State.ToString(), w.Observed.Since, w.Handle.ProcessId, w.ColdStartMs, w.Finished,
                placement.GpusOf(w.Handle.WorkerId)
                    ?? (placement.CpuFallback && !spec.IsCpu ? "none (CPU fallback in dev)" : null))).ToList();
            var (state, reason) = Throttled is { } throttled && workers.Count == 0 ? ("Throttled", throttled)
                : pool.State.Health == PoolHealth.Unhealthy ? ("Unhealthy", pool.State.Reason)
                : workers.Any(w => w.State == nameof(WorkerState.Initializing)) ? ("Scaling", "workers are starting")
                : workers.Count == 0 ? ("Idle", $"scaled to zero (workers {spec.WorkersMin}..{spec.WorkersMax}); "
                    + "the next job starts one")
                : ("Ready", LastKill is null ? null : $"last kill: {LastKill}");
            var sorted = _coldStarts.Order().ToArray();
            return new EndpointStatus(state, reason, workers, Percentile(sorted, 0.5), Percentile(sorted, 0.9),
                sorted.Length,
                spec.Volume is { } volume ? volumes.Describe(volume) : null, placement.ReservedBytes(_workers.Keys),
                new EndpointSettings(spec.Cpu ?? (spec.Gpu.Count > 0 ? string.Join(" > ", spec.Gpu) : "cpu"),
                    spec.WorkersMin, spec.WorkersMax, spec.IdleTimeout.TotalSeconds, spec.Concurrency, spec.MaxSteps));
        }
    }

    private static double? Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? null : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
}

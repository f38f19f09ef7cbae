using Hearth.Core.Scaling;
using Hearth.Server.Admin;
using Hearth.Server.Jobs;
using Hearth.Store;

namespace Hearth.App.Scaling;

/// <summary>
/// The autoscaler of a single-host deployment: every second, while this process holds the scheduler leadership in the
/// store (so two control planes on one Redis never both scale), it reads each endpoint's view, runs
/// <see cref="ScalingPolicy"/>, and applies the decision to the endpoint's worker pool — starting workers, or draining
/// the idle ones the policy named.
/// </summary>
internal sealed class DevScheduler : IWorkerDirectory, IAsyncDisposable
{
    private static readonly TimeSpan Tick = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MinGap = TimeSpan.FromMilliseconds(25);

    private readonly IHearthStore _store;
    private readonly JobSignals _signals;
    private readonly IReadOnlyDictionary<string, EndpointTracker> _endpoints;
    private readonly TextWriter _out;
    private readonly TimeProvider _time;
    private readonly string _owner = $"dev-{Environment.ProcessId}-{Guid.NewGuid():N}";
    private readonly CancellationTokenSource _stop = new();
    private Task _loop = Task.CompletedTask;

    private readonly Hearth.Server.Observability.HearthMetrics? _metrics;

    private readonly Action<string>? _ready;

    public DevScheduler(IHearthStore store, JobSignals signals, IReadOnlyList<EndpointTracker> endpoints,
        TextWriter output, TimeProvider time, Hearth.Server.Observability.HearthMetrics? metrics = null,
        Action<string>? ready = null)
    {
        _ready = ready;
        _metrics = metrics;
        _store = store;
        _signals = signals;
        _endpoints = endpoints.ToDictionary(e => e.Spec.Name, StringComparer.Ordinal);
        _out = output;
        _time = time;
    }

    /// <summary>The fencing epoch of this process's leadership; 0 while another process leads.</summary>
    public long Epoch { get; private set; }

    public EndpointStatus? Describe(string endpoint) => _endpoints.TryGetValue(endpoint, out var t) ? t.Status() : null;

    public void Start() => _loop = RunAsync(_stop.Token);

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                // Take the wake-ups before looking, so a submit during the tick is not missed.
                var work = Task.WhenAny(_endpoints.Keys.Select(_signals.NextWork));
                var tick = Task.Delay(Tick, _time, cancellationToken);
                try
                {
                    await TickAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is StackExchange.Redis.RedisException or TimeoutException)
                {
                    await _out.WriteLineAsync($"  scheduler: the store is unreachable ({e.Message}); retrying").ConfigureAwait(false);
                }

                // A scaled-to-zero endpoint must not wait for the next tick to start its first worker; under a stream of
                // submits, ticks still come at most every MinGap.
                var started = _time.GetTimestamp();
                await Task.WhenAny(tick, work).ConfigureAwait(false);
                var left = MinGap - _time.GetElapsedTime(started);
                if (left > TimeSpan.Zero)
                {
                    await Task.Delay(left, _time, cancellationToken).ConfigureAwait(false);
                }

                cancellationToken.ThrowIfCancellationRequested();
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    private async Task TickAsync(CancellationToken cancellationToken)
    {
        Epoch = await _store.TryLeadAsync("scheduler", _owner, Tick * 5, cancellationToken).ConfigureAwait(false);
        foreach (var tracker in _endpoints.Values)
        {
            var now = _time.GetUtcNow();
            var view = await _store.ViewAsync(tracker.Spec.Name, cancellationToken).ConfigureAwait(false);
            foreach (var (id, ms) in tracker.Update(view, now))
            {
                _metrics?.ColdStart(tracker.Spec.Name, ms);
                _ready?.Invoke(id);
                await _out.WriteLineAsync($"  {tracker.Spec.Name}: worker {id} ready, cold start {ms:0} ms").ConfigureAwait(false);
            }

            if (Epoch == 0)
            {
                continue; // Another control plane schedules; this one only observes.
            }

            foreach (var runaway in view.Runaways)
            {
                if (RunawayRule.KillReason(runaway.JobId, runaway.StopIssuedMs, now) is { } why
                    && tracker.Kill(runaway.WorkerId, why, now))
                {
                    await _out.WriteLineAsync($"  {tracker.Spec.Name}: killed worker {runaway.WorkerId}: {tracker.LastKill}; starting a replacement").ConfigureAwait(false);
                }
            }

            var decision = ScalingPolicy.Decide(tracker.Snapshot(view, now), now);
            var start = Math.Min(decision.Start, tracker.Spec.WorkersMax - tracker.Pool.Desired); // the max holds
            if (start > 0 && tracker.Throttled is null)
            {
                tracker.Decided(now, start);
                tracker.Pool.SetDesired(tracker.Pool.Desired + start);
                await _out.WriteLineAsync(
                    $"  {tracker.Spec.Name}: +{start} worker{(start > 1 ? "s" : string.Empty)} ({decision.Reason})")
                    .ConfigureAwait(false);
            }

            foreach (var id in decision.Stop)
            {
                tracker.Forget(id);
                tracker.Pool.Retire(id);
            }

            if (decision.Stop.Count > 0)
            {
                await _out.WriteLineAsync($"  {tracker.Spec.Name}: -{decision.Stop.Count} worker{(decision.Stop.Count > 1 ? "s" : string.Empty)} ({decision.Reason}), draining").ConfigureAwait(false);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        _stop.Dispose();
    }
}

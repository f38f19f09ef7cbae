using System.Collections.Concurrent;

namespace Hearth.Server.Jobs;

/// <summary>
/// Wake-ups: work available per endpoint (long-polling takes), stop signals per endpoint, and "this job changed" per
/// job (runsync, status-sync, stream). Fired in process, and — when several control-plane replicas share one store
/// — relayed to the other replicas by <see cref="SignalRelay"/>. Waiters always re-read the store after waking, so a
/// lost or spurious signal costs latency, never correctness.
/// </summary>
public sealed class JobSignals
{
    /// <summary>Set by the relay: sends a signal to the other replicas (<c>w|ep</c>, <c>s|ep</c>,
    /// <c>j|ep|job</c>).</summary>
    internal Action<string>? Relay { get; set; }

    private readonly ConcurrentDictionary<string, AsyncSignal> _work = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, AsyncSignal> _stops = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Endpoint, string Job), AsyncSignal> _jobs = new();

    internal AsyncSignal Work(string endpoint) => _work.GetOrAdd(endpoint, _ => new AsyncSignal());

    internal AsyncSignal Stops(string endpoint) => _stops.GetOrAdd(endpoint, _ => new AsyncSignal());

    /// <summary>Completes the next time work arrives for <paramref name="endpoint"/> (a submit, a requeue, a
    /// retry).</summary>
    public Task NextWork(string endpoint) => Work(endpoint).Next;

    /// <summary>Wakes workers long-polling <paramref name="endpoint"/>.</summary>
    public void WorkAvailable(string endpoint)
    {
        Work(endpoint).Fire();
        Relay?.Invoke("w|" + endpoint);
    }

    /// <summary>Wakes job-stop long-polls of <paramref name="endpoint"/>.</summary>
    public void StopRequested(string endpoint)
    {
        Stops(endpoint).Fire();
        Relay?.Invoke("s|" + endpoint);
    }

    /// <summary>Wakes everyone waiting on a job.</summary>
    public void JobChanged(string endpoint, string jobId)
    {
        FireJob(endpoint, jobId);
        Relay?.Invoke("j|" + endpoint + "|" + jobId);
    }

    /// <summary>A signal relayed from another replica: fired here only.</summary>
    internal void Receive(string message)
    {
        var parts = message.Split('|', 3);
        switch (parts)
        {
            case ["w", var ep]:
                Work(ep).Fire();
                break;
            case ["s", var ep]:
                Stops(ep).Fire();
                break;
            case ["j", var ep, var job]:
                FireJob(ep, job);
                break;
        }
    }

    private void FireJob(string endpoint, string jobId)
    {
        if (_jobs.TryGetValue((endpoint, jobId), out var s))
        {
            s.Fire();
        }
    }

    /// <summary>Registers interest in a job; dispose to stop listening.</summary>
    internal JobWatch Watch(string endpoint, string jobId) =>
        new(this, endpoint, jobId, _jobs.GetOrAdd((endpoint, jobId), _ => new AsyncSignal()));

    private void Forget(string endpoint, string jobId, AsyncSignal signal) =>
        _jobs.TryRemove(new KeyValuePair<(string, string), AsyncSignal>((endpoint, jobId), signal));

    internal sealed class JobWatch(JobSignals owner, string endpoint, string jobId, AsyncSignal signal) : IDisposable
    {
        public AsyncSignal Signal => signal;

        // Removing while another waiter still watches only costs it a wake-up: it re-reads the store on its timeout.
        public void Dispose() => owner.Forget(endpoint, jobId, signal);
    }
}

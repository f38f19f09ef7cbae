namespace Hearth.Soak;

/// <summary>The faults the injector applies (the <c>kind</c> of a fault event).</summary>
public static class FaultKinds
{
    /// <summary>kill -9 of a worker process.</summary>
    public const string WorkerKill = "worker-kill";

    /// <summary>SIGSTOP of a worker past its lease, then SIGCONT: a zombie that wakes up fenced.</summary>
    public const string WorkerPause = "worker-pause";

    /// <summary>SIGSTOP of a worker well within its lease: must cost nothing.</summary>
    public const string WorkerPauseShort = "worker-pause-short";

    /// <summary>200 ± 150 ms on every chunk between workers and the control plane, for a while.</summary>
    public const string ProxyLatency = "proxy-latency";

    /// <summary>Connections between workers and the control plane cut at random, for a while.</summary>
    public const string ProxyReset = "proxy-reset";

    /// <summary>kill -9 of a serve replica, restarted a few seconds later.</summary>
    public const string ReplicaKill = "replica-kill";

    /// <summary>kill -9 of redis-server, restarted on its data at once.</summary>
    public const string StoreRestart = "store-restart";

    /// <summary>redis-server stopped (SIGSTOP) for the outage length, then resumed.</summary>
    public const string StoreOutage = "store-outage";
}

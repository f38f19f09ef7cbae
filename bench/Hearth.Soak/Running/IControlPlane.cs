namespace Hearth.Soak.Running;

/// <summary>The control plane a soak runs against: <c>hearth dev</c>, two <c>hearth serve</c> replicas on a
/// redis-server, or (tests) one hosted in-process.</summary>
internal interface IControlPlane : IAsyncDisposable
{
    /// <summary>dev, serve, or a test's name.</summary>
    string Name { get; }

    /// <summary>Base URLs clients may use (http://127.0.0.1:port), one per replica.</summary>
    IReadOnlyList<string> ClientUrls { get; }

    /// <summary>Ports the chaos proxy may forward workers to (the replicas up now).</summary>
    IReadOnlyList<int> WorkerPorts();

    /// <summary>Fault kinds of the control plane or its store this plane can suffer (see <see cref="FaultKinds"/>).</summary>
    IReadOnlyList<string> PlaneFaults { get; }

    /// <summary>Starts it with its workers, ready for jobs.</summary>
    Task StartAsync(CancellationToken cancellationToken);

    /// <summary>Applies one plane fault and returns once it is over (the outage ended, the replica is back).</summary>
    Task ApplyAsync(string kind, Random random, CancellationToken cancellationToken);
}

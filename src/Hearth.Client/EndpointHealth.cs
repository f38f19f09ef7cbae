namespace Hearth.Client;

/// <summary>An endpoint's job and worker counters, the answer of <c>/health</c> (spec §1.5).</summary>
public sealed record EndpointHealth
{
    /// <summary>Jobs that finished with an output.</summary>
    public long Completed { get; init; }

    /// <summary>Jobs that finished with an error.</summary>
    public long Failed { get; init; }

    /// <summary>Jobs a worker is running now.</summary>
    public long InProgress { get; init; }

    /// <summary>Jobs waiting for a worker.</summary>
    public long InQueue { get; init; }

    /// <summary>Jobs sent back to the queue by <c>/retry</c>.</summary>
    public long Retried { get; init; }

    /// <summary>Workers connected and waiting for a job.</summary>
    public long Idle { get; init; }

    /// <summary>Workers starting up.</summary>
    public long Initializing { get; init; }

    /// <summary>Workers able to take a job.</summary>
    public long Ready { get; init; }

    /// <summary>Workers running a job.</summary>
    public long Running { get; init; }

    /// <summary>Workers held back by capacity limits.</summary>
    public long Throttled { get; init; }

    /// <summary>Workers that failed their health checks.</summary>
    public long Unhealthy { get; init; }
}

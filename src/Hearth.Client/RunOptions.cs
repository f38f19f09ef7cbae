namespace Hearth.Client;

/// <summary>Per-job settings sent with <c>/run</c> and <c>/runsync</c> (spec §1.3). Every property is optional; null
/// leaves the server's default.</summary>
public sealed record RunOptions
{
    /// <summary>URL the server POSTs the final status body to. Default: null (no webhook). Hearth refuses private and
    /// loopback addresses unless allow-listed.</summary>
    public Uri? Webhook { get; init; }

    /// <summary>Longest run time once a worker took the job (5 s to 7 days, sent in whole milliseconds). Default: null,
    /// the endpoint's setting (10 minutes on Runpod).</summary>
    public TimeSpan? ExecutionTimeout { get; init; }

    /// <summary>Total lifetime from submission, queue plus run (10 s to 7 days). Default: null, the server's 24
    /// hours.</summary>
    public TimeSpan? Ttl { get; init; }

    /// <summary>Queue the job behind normal jobs and do not scale up for it. Default: false.</summary>
    public bool LowPriority { get; init; }

    /// <summary>Object storage settings passed through to the worker and never echoed back (serialized with the
    /// client's JSON options). Default: null.</summary>
    public object? S3Config { get; init; }
}

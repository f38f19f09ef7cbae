namespace Hearth.Soak.History;

/// <summary>
/// One line of a soak's history: a client operation with its answer, a worker's own account of what it did, a
/// webhook the receiver got, or a fault the injector applied. One flat shape for every kind (<see cref="Type"/> says
/// which fields mean something), so the soak's processes append lines without sharing more than this file, and the
/// checker reads them back in any order. Times are Unix milliseconds of this machine's wall clock, which every process
/// of a soak shares.
/// </summary>
public sealed record HistoryEvent
{
    /// <summary>What happened: one of <see cref="EventTypes"/>.</summary>
    public required string Type { get; init; }

    /// <summary>When it ended (a client operation: when its answer arrived; a fault: when it was applied).</summary>
    public long T { get; init; }

    /// <summary>When a client operation or a worker request began; null for instantaneous events.</summary>
    public long? T0 { get; init; }

    /// <summary>The job id, when the event is about one.</summary>
    public string? Job { get; init; }

    /// <summary>The job's kind (normal, slow, stream, …), or the fault's kind.</summary>
    public string? Kind { get; init; }

    /// <summary>The soak's sequence number of the job (its input carries it), so submits without an answer are
    /// still known.</summary>
    public long? Seq { get; init; }

    /// <summary>HTTP status of the answer; null when none arrived (see <see cref="Error"/>).</summary>
    public int? Http { get; init; }

    /// <summary>Transport error of a request without an answer, or the job's error text.</summary>
    public string? Error { get; init; }

    /// <summary>The job status an answer carried.</summary>
    public string? Status { get; init; }

    /// <summary>The job output an answer carried, raw JSON.</summary>
    public string? Output { get; init; }

    /// <summary>The grant (attempt) a worker event is about.</summary>
    public int? Attempt { get; init; }

    /// <summary>The worker id.</summary>
    public string? Worker { get; init; }

    /// <summary>The process id of the worker (or of a fault's target).</summary>
    public int? Pid { get; init; }

    /// <summary>A value one attempt put in its output, so the checker can tell which attempt wrote a result.</summary>
    public string? Nonce { get; init; }

    /// <summary>A journaled step's key.</summary>
    public string? Step { get; init; }

    /// <summary>The journal a step belongs to: the session id, or the job id for a job without a session.</summary>
    public string? Scope { get; init; }

    /// <summary>A webhook's signature checked out.</summary>
    public bool? Valid { get; init; }

    /// <summary>The route a worker request went to (job-take, ping, …), or a fault's target.</summary>
    public string? Target { get; init; }

    /// <summary>Free text for people reading the history.</summary>
    public string? Detail { get; init; }

    /// <summary>The end of a window (a fault's pause, a declared outage).</summary>
    public long? Until { get; init; }

    /// <summary>A job's execution timeout (submit), in ms.</summary>
    public long? TimeoutMs { get; init; }

    /// <summary>The queue time an answer carried (delayTime), in ms.</summary>
    public long? DelayMs { get; init; }

    /// <summary>Which control plane a client operation went to (replica index, or 0).</summary>
    public int? Replica { get; init; }

    /// <summary>A webhook submitted with the job, or the webhook id of a delivery.</summary>
    public string? Webhook { get; init; }
}

namespace Hearth.Core.Jobs;

/// <summary>The six job states of the Runpod wire contract (spec §1.4), spelled exactly as on the wire.</summary>
public static class JobStatus
{
    /// <summary>Accepted and waiting for a worker.</summary>
    public const string InQueue = "IN_QUEUE";

    /// <summary>Leased by a worker and running.</summary>
    public const string InProgress = "IN_PROGRESS";

    /// <summary>Finished; the handler returned an output.</summary>
    public const string Completed = "COMPLETED";

    /// <summary>Finished; the handler raised, or the worker was lost too often.</summary>
    public const string Failed = "FAILED";

    /// <summary>Finished; cancelled by a client or purged from the queue.</summary>
    public const string Cancelled = "CANCELLED";

    /// <summary>Finished; ran past its execution timeout.</summary>
    public const string TimedOut = "TIMED_OUT";

    /// <summary>True for the four final states; a job in one of them never changes again except by an explicit
    /// retry.</summary>
    public static bool IsFinal(string? status) =>
        status is Completed or Failed or Cancelled or TimedOut;
}

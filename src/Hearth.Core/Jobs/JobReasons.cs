namespace Hearth.Core.Jobs;

/// <summary>Machine-readable reasons recorded with a final state that the platform (not the handler) decided.</summary>
public static class JobReasons
{
    /// <summary>The job lost its worker more often than the cap allows.</summary>
    public const string WorkerLostLimit = "worker_lost_limit";

    /// <summary>The job ran past its execution timeout.</summary>
    public const string ExecutionTimeout = "execution_timeout";

    /// <summary>A client cancelled the job.</summary>
    public const string Cancelled = "cancelled";

    /// <summary>The queue was purged while the job waited.</summary>
    public const string Purged = "purged";

    /// <summary>The handler reported an error.</summary>
    public const string HandlerError = "handler_error";
}

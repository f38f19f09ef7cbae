using Hearth.Core.Jobs;

namespace Hearth.Client;

/// <summary>A job's status body (<c>/status</c>, <c>/status-sync</c>, a finished <c>/runsync</c>) with the output read
/// as <typeparamref name="TOut"/>.</summary>
/// <typeparam name="TOut">The handler's output type.</typeparam>
public sealed record JobResult<TOut>
{
    /// <summary>The server's opaque job id.</summary>
    public required string Id { get; init; }

    /// <summary>One of the <see cref="JobStatus"/> constants.</summary>
    public required string Status { get; init; }

    /// <summary>Time spent queued before a worker took the job; null until one did.</summary>
    public TimeSpan? DelayTime { get; init; }

    /// <summary>Time the handler ran; null until the job finished.</summary>
    public TimeSpan? ExecutionTime { get; init; }

    /// <summary>Id of the worker that ran the job; null or empty when none did.</summary>
    public string? WorkerId { get; init; }

    /// <summary>The handler's output when <see cref="Status"/> is COMPLETED (or a progress update while IN_PROGRESS);
    /// otherwise default.</summary>
    public TOut? Output { get; init; }

    /// <summary>The error text when <see cref="Status"/> is FAILED (for Python handlers, a JSON string with the
    /// exception and traceback).</summary>
    public string? Error { get; init; }

    /// <summary>True when the job reached COMPLETED, FAILED, CANCELLED or TIMED_OUT and will not change again unless
    /// retried.</summary>
    public bool IsFinal => JobStatus.IsFinal(Status);

    /// <summary>True when the job finished with an output (COMPLETED).</summary>
    public bool IsCompleted => Status == JobStatus.Completed;
}

namespace Hearth.Server.Jobs;

/// <summary>How a job came to its end: the paths that run <see cref="JobService.Finished"/>.</summary>
internal enum JobEnd
{
    /// <summary>Its worker's result (job-done, job-done-batch): <c>COMPLETED</c> or <c>FAILED</c>.</summary>
    Done,

    /// <summary>A client's <c>/cancel</c>: <c>CANCELLED</c>; a worker running it is told to stop.</summary>
    Cancelled,

    /// <summary><c>/purge-queue</c>: <c>CANCELLED</c>, reason <c>purged</c>; queued, so no worker held it.</summary>
    Purged,

    /// <summary>
    /// A deadline the sweep applied: the execution timeout (<c>TIMED_OUT</c>) or the lease of a worker lost once too
    /// often (<c>FAILED</c>, <c>worker_lost_limit</c>); the worker that held it is told to stop.
    /// </summary>
    Deadline,

    /// <summary>
    /// Its TTL ran out before it reached a final state: the store deleted it, queued or running, so it ends with no
    /// final status. A worker still running it learns at its next heartbeat.
    /// </summary>
    Expired,
}

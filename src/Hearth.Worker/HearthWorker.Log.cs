using Microsoft.Extensions.Logging;

namespace Hearth.Worker;

public sealed partial class HearthWorker
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Worker {WorkerId} started (concurrency {Concurrency})")]
    private static partial void LogStarted(ILogger logger, string workerId, int concurrency);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The control plane sent a job without an id; ignored")]
    private static partial void LogBadJob(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId} stopped: {Reason}")]
    private static partial void LogJobStopped(ILogger logger, string jobId, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Job {JobId} reported (HTTP {Status}) after {Ms:0.0} ms")]
    private static partial void LogJobDone(ILogger logger, string jobId, int status, double ms);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The result of job {JobId} could not be delivered within its "
        + "lease ({Reason}); the control plane grants the job again")]
    private static partial void LogResultLost(ILogger logger, string jobId, string reason);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "The control plane answered {Status} to job-done-batch; results are posted one by one from now on")]
    private static partial void LogBatchResultsOff(ILogger logger, int status);

    [LoggerMessage(Level = LogLevel.Information, Message = "Ignored a stop order for attempt {Stopped} of job "
        + "{JobId}: this worker runs attempt {Running} of it now")]
    private static partial void LogStaleStop(ILogger logger, string jobId, int stopped, int running);

    [LoggerMessage(Level = LogLevel.Information, Message = "Draining {Count} job(s) for up to {Seconds} s")]
    private static partial void LogDraining(ILogger logger, int count, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Heartbeat failed ({Reason})")]
    private static partial void LogPingFailed(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Parent process {Pid} is gone; stopping so no orphan worker is left")]
    private static partial void LogParentGone(ILogger logger, int pid);
}

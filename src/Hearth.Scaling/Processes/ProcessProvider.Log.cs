using Microsoft.Extensions.Logging;

namespace Hearth.Scaling.Processes;

/// <summary>Log messages of <see cref="ProcessProvider"/>; they carry ids and exit codes, never the
/// environment.</summary>
public sealed partial class ProcessProvider
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 1, Level = LogLevel.Information,
            Message = "Worker {WorkerId} of endpoint {Endpoint} started as pid {ProcessId}")]
        public static partial void Started(ILogger logger, string workerId, string endpoint, int processId);

        [LoggerMessage(EventId = 2, Level = LogLevel.Information,
            Message = "Stopping worker {WorkerId}; it may drain for {Drain}")]
        public static partial void Stopping(ILogger logger, string workerId, TimeSpan drain);

        [LoggerMessage(EventId = 3, Level = LogLevel.Warning,
            Message = "Worker {WorkerId} did not exit within its drain of {Drain}; killing its process tree")]
        public static partial void DrainExpired(ILogger logger, string workerId, TimeSpan drain);

        [LoggerMessage(EventId = 4, Level = LogLevel.Information,
            Message = "Worker {WorkerId} exited with code {ExitCode} (requested: {Requested})")]
        public static partial void Exited(ILogger logger, string workerId, int exitCode, bool requested);

        [LoggerMessage(EventId = 5, Level = LogLevel.Debug, Message = "[{WorkerId}] {Line}")]
        public static partial void Output(ILogger logger, string workerId, string line);

        [LoggerMessage(EventId = 6, Level = LogLevel.Warning,
            Message = "SIGTERM to worker {WorkerId} failed with errno {Errno}; killing it instead")]
        public static partial void SignalFailed(ILogger logger, string workerId, int errno);

        [LoggerMessage(EventId = 7, Level = LogLevel.Warning,
            Message = "Worker {WorkerId} exited but its output stayed open for {Grace}; the rest is dropped")]
        public static partial void OutputCut(ILogger logger, string workerId, TimeSpan grace);

        [LoggerMessage(EventId = 8, Level = LogLevel.Error,
            Message = "A handler of the exit of worker {WorkerId} failed")]
        public static partial void SubscriberFailed(ILogger logger, string workerId, Exception exception);

        [LoggerMessage(EventId = 9, Level = LogLevel.Error,
            Message = "The output sink failed on a line of worker {WorkerId}")]
        public static partial void SinkFailed(ILogger logger, string workerId, Exception exception);
    }
}

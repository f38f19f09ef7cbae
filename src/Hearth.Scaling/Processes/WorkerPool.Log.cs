using Microsoft.Extensions.Logging;

namespace Hearth.Scaling.Processes;

/// <summary>Log messages of <see cref="WorkerPool"/>.</summary>
public sealed partial class WorkerPool
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 101, Level = LogLevel.Information, Message = "Endpoint {Endpoint}: worker {WorkerId} started")]
        public static partial void Started(ILogger logger, string endpoint, string workerId);

        [LoggerMessage(EventId = 102, Level = LogLevel.Warning, Message = "Endpoint {Endpoint}: worker {WorkerId} exited on its own with code {ExitCode} after {Uptime}; restarting in {Delay}")]
        public static partial void Crashed(ILogger logger, string endpoint, string workerId, int exitCode, TimeSpan uptime, TimeSpan delay);

        [LoggerMessage(EventId = 103, Level = LogLevel.Error, Message = "Endpoint {Endpoint} is unhealthy: {Reason}")]
        public static partial void Unhealthy(ILogger logger, string endpoint, string reason);

        [LoggerMessage(EventId = 104, Level = LogLevel.Information, Message = "Endpoint {Endpoint} is healthy again")]
        public static partial void Recovered(ILogger logger, string endpoint);

        [LoggerMessage(EventId = 105, Level = LogLevel.Error, Message = "Endpoint {Endpoint}: worker {WorkerId} could not be started")]
        public static partial void StartFailed(ILogger logger, string endpoint, string workerId, Exception exception);

        [LoggerMessage(EventId = 106, Level = LogLevel.Error, Message = "Endpoint {Endpoint}: stopping a surplus worker failed")]
        public static partial void StopFailed(ILogger logger, string endpoint, Exception exception);

        [LoggerMessage(EventId = 107, Level = LogLevel.Error, Message = "Endpoint {Endpoint}: a handler of the start of worker {WorkerId} failed")]
        public static partial void SubscriberFailed(ILogger logger, string endpoint, string workerId, Exception exception);
    }
}

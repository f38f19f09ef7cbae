using Microsoft.Extensions.Logging;

namespace Hearth.Server.Scheduling;

/// <summary>The scheduler's events; <c>dev</c> renders them as its console lines.</summary>
public sealed partial class Scheduler
{
    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "{Endpoint}: worker {WorkerId} ready, cold start {ColdStartMs:0} ms")]
        public static partial void Ready(ILogger logger, string endpoint, string workerId, double coldStartMs);

        [LoggerMessage(2, LogLevel.Information, "{Endpoint}: +{Count} worker(s) ({Reason})")]
        public static partial void ScaledUp(ILogger logger, string endpoint, int count, string reason);

        [LoggerMessage(3, LogLevel.Information, "{Endpoint}: -{Count} worker(s) ({Reason}), draining")]
        public static partial void ScaledDown(ILogger logger, string endpoint, int count, string reason);

        [LoggerMessage(4, LogLevel.Information, "{Endpoint}: worker {WorkerId} placed on node {Node}{Gpus}")]
        public static partial void Placed(ILogger logger, string endpoint, string workerId, string node, string gpus);

        [LoggerMessage(5, LogLevel.Warning,
            "{Endpoint}: killed worker {WorkerId} on node {Node}: {Reason}; starting a replacement")]
        public static partial void Killed(ILogger logger, string endpoint, string workerId, string node, string reason);

        [LoggerMessage(6, LogLevel.Warning, "{Endpoint}: Throttled: {Reason}")]
        public static partial void Throttled(ILogger logger, string endpoint, string reason);

        [LoggerMessage(7, LogLevel.Warning,
            "{Endpoint}: worker {WorkerId} exited with code {ExitCode}; next start in {BackoffSeconds:0.#} s{Last}")]
        public static partial void Crashed(
            ILogger logger, string endpoint, string workerId, int exitCode, double backoffSeconds, string last);

        [LoggerMessage(8, LogLevel.Error, "{Endpoint}: Unhealthy: {Reason}")]
        public static partial void Unhealthy(ILogger logger, string endpoint, string reason);

        [LoggerMessage(9, LogLevel.Information, "scheduler: this control plane leads now (epoch {Epoch})")]
        public static partial void Leads(ILogger logger, long epoch);

        [LoggerMessage(10, LogLevel.Information, "scheduler: another control plane leads")]
        public static partial void Follows(ILogger logger);

        [LoggerMessage(11, LogLevel.Warning, "scheduler: the store is unreachable ({Message}); retrying")]
        public static partial void StoreUnreachable(ILogger logger, string message);

        [LoggerMessage(12, LogLevel.Warning,
            "{Endpoint}: worker {WorkerId} ended holding {Count} job(s); they run again now "
            + "(or fail past the lost-worker cap)")]
        public static partial void JobsLost(ILogger logger, string endpoint, string workerId, int count);

        [LoggerMessage(13, LogLevel.Information, "{Endpoint}: protocol auto settles on {Protocol}: {Reason}")]
        public static partial void ProtocolSettled(ILogger logger, string endpoint, string protocol, string reason);
    }
}

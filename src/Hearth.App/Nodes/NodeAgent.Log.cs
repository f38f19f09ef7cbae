using Microsoft.Extensions.Logging;

namespace Hearth.App.Nodes;

/// <summary>The node agent's events; <c>hearth node</c> renders them as its console lines.</summary>
internal sealed partial class NodeAgent
{
    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "node {Node}: the control plane answers again")]
        public static partial void Reachable(ILogger logger, string node);

        [LoggerMessage(2, LogLevel.Warning,
            "node {Node}: the control plane is unreachable ({Message}); workers keep running, retrying")]
        public static partial void Unreachable(ILogger logger, string node, string message);

        [LoggerMessage(3, LogLevel.Warning,
            "node {Node}: the control plane had marked this node lost; stopping the workers it replaced")]
        public static partial void WasLost(ILogger logger, string node);

        [LoggerMessage(4, LogLevel.Information,
            "{Endpoint}: stopping worker {WorkerId} (no longer assigned to this node)")]
        public static partial void Stopping(ILogger logger, string endpoint, string workerId);

        [LoggerMessage(5, LogLevel.Information, "{Endpoint}: starting worker {WorkerId} (pid {Pid}){Gpus}")]
        public static partial void Starting(ILogger logger, string endpoint, string workerId, int pid, string gpus);

        [LoggerMessage(6, LogLevel.Error, "{Endpoint}: worker {WorkerId} could not be started: {Message}")]
        public static partial void StartFailed(ILogger logger, string endpoint, string workerId, string message);

        [LoggerMessage(7, LogLevel.Warning, "{Endpoint}: killing worker {WorkerId}: {Reason}")]
        public static partial void Killing(ILogger logger, string endpoint, string workerId, string reason);

        [LoggerMessage(8, LogLevel.Warning,
            "{Endpoint}: worker {WorkerId} exited with code {ExitCode}; reported (the scheduler places a replacement)"
            + "{Last}")]
        public static partial void Exited(ILogger logger, string endpoint, string workerId, int exitCode, string last);

        [LoggerMessage(9, LogLevel.Information, "{Endpoint}: worker {WorkerId} stopped (exit code {ExitCode})")]
        public static partial void Stopped(ILogger logger, string endpoint, string workerId, int exitCode);
    }
}

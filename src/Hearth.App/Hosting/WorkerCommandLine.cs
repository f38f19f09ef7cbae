using System.Reflection;
using Hearth.Core.Wire;
using Hearth.Scaling.Processes;

namespace Hearth.App.Hosting;

/// <summary>
/// What process a worker is, for dev (<see cref="LocalWorkerProvider"/>) and node agents alike: the endpoint's
/// <c>command:</c>; this app in its bridge role in front of that command (<c>protocol: push</c>, marked by
/// <see cref="WorkerVariables.Protocol"/> in the worker's environment); or this app in its worker role (C#
/// handlers).
/// </summary>
internal static class WorkerCommandLine
{
    /// <summary>The launch of one worker; <paramref name="env"/> is the worker's environment and is added to.</summary>
    public static WorkerLaunch For(string workerId, string endpoint, string? command,
        Dictionary<string, string> env, string? directory)
    {
        var (self, args) = SelfCommand();
        if (command is null)
        {
            return new WorkerLaunch(workerId, endpoint, self, [.. args, "worker", "--endpoint", endpoint], env,
                directory);
        }

        if (env.TryGetValue(WorkerVariables.Protocol, out var protocol) && protocol == "push")
        {
            env[WorkerVariables.BridgeCommand] = command;
            return new WorkerLaunch(workerId, endpoint, self,
                [.. args, "worker", "--endpoint", endpoint, "--bridge"], env, directory);
        }

        return new WorkerLaunch(workerId, endpoint, "/bin/sh", ["-c", command], env, directory);
    }

    /// <summary>How to start this same app again: its apphost, or <c>dotnet app.dll</c>.</summary>
    public static (string File, string[] Args) SelfCommand()
    {
        var host = Environment.ProcessPath ?? "dotnet";
        var entry = Assembly.GetEntryAssembly()?.Location;
        return Path.GetFileNameWithoutExtension(host) == "dotnet" && entry is not null ? (host, [entry]) : (host, []);
    }
}

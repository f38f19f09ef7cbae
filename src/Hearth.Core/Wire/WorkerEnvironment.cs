using System.Globalization;
using Hearth.Core.Endpoints;

namespace Hearth.Core.Wire;

/// <summary>How a worker reaches the control plane.</summary>
/// <param name="ControlPlane">The control plane's base URL as the worker's host sees it, e.g.
/// <c>http://10.0.0.1:8080</c>.</param>
/// <param name="Endpoint">The endpoint the worker serves.</param>
/// <param name="WorkerId">The worker's id.</param>
/// <param name="Token">The endpoint's worker token.</param>
/// <param name="PingMs">The heartbeat interval.</param>
/// <param name="LeaseMs">The job lease.</param>
public sealed record WorkerConnection(string ControlPlane, string Endpoint, string WorkerId, string Token, long PingMs,
    long LeaseMs);

/// <summary>
/// The one place a worker process's environment is built, for local processes and node agents alike: what the
/// endpoint gives every worker (<see cref="ForEndpoint"/>), how it reaches the control plane
/// (<see cref="AddConnection"/>), and the cards it was placed on (<see cref="AddGpus"/>).
/// </summary>
public static class WorkerEnvironment
{
    /// <summary>The endpoint's own variables (values expanded) plus its concurrency and step limit.</summary>
    /// <param name="spec">The endpoint.</param>
    /// <param name="expand">Expands references in a value (e.g. <c>${HF_TOKEN}</c> from the host's
    /// environment).</param>
    /// <param name="protocol">The protocol its workers use now, when it is not the spec's (an
    /// <see cref="WorkerProtocol.Auto"/> endpoint settled by the scheduler).</param>
    /// <returns>A new, ordinal-keyed dictionary the caller may add to.</returns>
    public static Dictionary<string, string> ForEndpoint(
        EndpointSpec spec, Func<string, string> expand, WorkerProtocol? protocol = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(expand);
        var env = spec.Env.ToDictionary(e => e.Key, e => expand(e.Value), StringComparer.Ordinal);
        env[WorkerVariables.Concurrency] = spec.Concurrency.ToString(CultureInfo.InvariantCulture);
        env[WorkerVariables.MaxSteps] = spec.MaxSteps.ToString(CultureInfo.InvariantCulture);
        if ((protocol ?? spec.Protocol) == WorkerProtocol.Push)
        {
            env[WorkerVariables.Protocol] = "push";
        }

        return env;
    }

    /// <summary>Adds Runpod's worker variables and Hearth's lease and API URL.</summary>
    /// <param name="env">The environment to add to.</param>
    /// <param name="c">Where the control plane is and who the worker is.</param>
    public static void AddConnection(IDictionary<string, string> env, WorkerConnection c)
    {
        ArgumentNullException.ThrowIfNull(env);
        ArgumentNullException.ThrowIfNull(c);
        var v2 = $"{c.ControlPlane.TrimEnd('/')}/v2/{c.Endpoint}";
        env[WorkerVariables.GetJob] = $"{v2}/{ApiRoutes.JobTake}/$ID?";
        env[WorkerVariables.PostOutput] = $"{v2}/{ApiRoutes.JobDone}/$RUNPOD_POD_ID/$ID?";
        env[WorkerVariables.PostStream] = $"{v2}/{ApiRoutes.JobStream}/$RUNPOD_POD_ID/$ID?";
        env[WorkerVariables.Ping] = $"{v2}/{ApiRoutes.Ping}/$RUNPOD_POD_ID";
        env[WorkerVariables.PodId] = c.WorkerId;
        env[WorkerVariables.ApiKey] = c.Token;
        env[WorkerVariables.EndpointId] = c.Endpoint;
        env[WorkerVariables.PingInterval] = c.PingMs.ToString(CultureInfo.InvariantCulture);
        env[WorkerVariables.SkipSystemChecks] = "true";
        env[WorkerVariables.LeaseMs] = c.LeaseMs.ToString(CultureInfo.InvariantCulture);
        env[WorkerVariables.ApiUrl] = $"{c.ControlPlane.TrimEnd('/')}/v2";
    }

    /// <summary>Adds the cards a worker was placed on; none for a CPU worker (it then sees no card).</summary>
    /// <param name="env">The environment to add to.</param>
    /// <param name="indexes">The cards' indexes on the host, in order.</param>
    /// <param name="names">The cards' names, in the same order.</param>
    public static void AddGpus(IDictionary<string, string> env, IReadOnlyList<int> indexes, IReadOnlyList<string> names)
    {
        ArgumentNullException.ThrowIfNull(env);
        ArgumentNullException.ThrowIfNull(indexes);
        ArgumentNullException.ThrowIfNull(names);
        env[WorkerVariables.CudaVisibleDevices] = string.Join(',', indexes);
        if (names.Count > 0)
        {
            env[WorkerVariables.Gpus] = string.Join(',', names);
        }
    }
}

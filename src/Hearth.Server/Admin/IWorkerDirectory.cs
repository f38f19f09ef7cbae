namespace Hearth.Server.Admin;

/// <summary>
/// What the admin API shows about workers and endpoint health. The app host (<c>dev</c>) supplies one that knows its
/// processes; without one, the control plane shows what the store knows (workers seen by their takes and heartbeats).
/// </summary>
public interface IWorkerDirectory
{
    /// <summary>The endpoint's workers and state, or null when this directory knows nothing of it.</summary>
    EndpointStatus? Describe(string endpoint);
}

/// <summary>One endpoint's state for people: <c>Ready</c>, <c>Scaling</c>, <c>Idle</c>, <c>Throttled</c> or
/// <c>Unhealthy</c>, with the reason.</summary>
/// <param name="State">The state.</param>
/// <param name="Reason">Why, in one line (null when ready).</param>
/// <param name="Workers">Every worker.</param>
/// <param name="ColdStartP50Ms">Median cold start (scale-up decision → first job-take), when measured.</param>
/// <param name="ColdStartP90Ms">90th percentile cold start, when measured.</param>
/// <param name="ColdStarts">How many cold starts were measured.</param>
/// <param name="Volume">The endpoint's volume on this host, when it has one.</param>
/// <param name="VramReservedBytes">GPU memory its placed workers reserve on this host (0 when none or unknown).</param>
/// <param name="Settings">How the endpoint is declared to scale and run, when the directory knows its
/// definition.</param>
public sealed record EndpointStatus(
    string State, string? Reason, IReadOnlyList<WorkerInfo> Workers, double? ColdStartP50Ms, double? ColdStartP90Ms,
    int ColdStarts, VolumeInfo? Volume = null, long VramReservedBytes = 0,
    EndpointSettings? Settings = null);

/// <summary>An endpoint's declared compute and scaling, as the admin API shows it.</summary>
/// <param name="Compute">GPU types in priority order, or the CPU instance type.</param>
/// <param name="WorkersMin">Fewest workers kept warm.</param>
/// <param name="WorkersMax">Most workers.</param>
/// <param name="IdleTimeoutSeconds">How long an idle worker above the minimum stays up.</param>
/// <param name="Concurrency">Jobs one worker runs at once.</param>
/// <param name="MaxSteps">Most journaled steps per job.</param>
public sealed record EndpointSettings(
    string Compute, int WorkersMin, int WorkersMax, double IdleTimeoutSeconds, int Concurrency, int MaxSteps);

/// <summary>A volume as the admin API shows it.</summary>
/// <param name="Name">Volume name.</param>
/// <param name="SizeGb">Its size limit, as declared.</param>
/// <param name="Path">Where it lives on this host.</param>
/// <param name="UsedBytes">Bytes in use now.</param>
public sealed record VolumeInfo(string Name, int SizeGb, string Path, long UsedBytes);

/// <summary>One worker as the admin API shows it.</summary>
/// <param name="Id">Worker id.</param>
/// <param name="Endpoint">Its endpoint.</param>
/// <param name="State">Initializing, Idle, Running, Draining, Unhealthy or Stopped.</param>
/// <param name="Since">When it entered that state.</param>
/// <param name="Pid">Process id, when this host started it.</param>
/// <param name="ColdStartMs">Scale-up decision → first job-take, when measured.</param>
/// <param name="JobsDone">Jobs it finished, as far as this host saw.</param>
/// <param name="Gpu">GPUs it runs on, if any.</param>
public sealed record WorkerInfo(string Id, string Endpoint, string State, DateTimeOffset Since, int? Pid,
    double? ColdStartMs, long JobsDone, string? Gpu);

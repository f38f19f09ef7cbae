namespace Hearth.Scaling.Processes;

/// <summary>A started worker process.</summary>
/// <param name="WorkerId">The worker's id.</param>
/// <param name="Endpoint">The endpoint the worker serves.</param>
/// <param name="ProcessId">The operating-system process id.</param>
/// <param name="StartedAt">When the provider started it, on the provider's <see cref="TimeProvider"/>.</param>
public sealed record WorkerHandle(string WorkerId, string Endpoint, int ProcessId, DateTimeOffset StartedAt);

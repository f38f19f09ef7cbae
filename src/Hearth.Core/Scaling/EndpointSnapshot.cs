using Hearth.Core.Endpoints;

namespace Hearth.Core.Scaling;

/// <summary>What the scaler knows about one endpoint at a point in time.</summary>
/// <param name="Spec">The endpoint's declared settings (workers, scaler, idle timeout).</param>
/// <param name="InQueue">Normal-priority jobs waiting in the queue.</param>
/// <param name="InQueueLowPriority">Low-priority jobs waiting; these never trigger a scale-up.</param>
/// <param name="OldestWait">Age of the oldest normal-priority queued job; <see cref="TimeSpan.Zero"/> when
/// none.</param>
/// <param name="InProgress">Jobs being run by workers now.</param>
/// <param name="Workers">The endpoint's workers, in any state.</param>
public sealed record EndpointSnapshot(
    EndpointSpec Spec,
    long InQueue,
    long InQueueLowPriority,
    TimeSpan OldestWait,
    long InProgress,
    IReadOnlyList<WorkerSnapshot> Workers);

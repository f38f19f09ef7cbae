using Hearth.Core.Placement;

namespace Hearth.Store.Nodes;

/// <summary>A registered node as the store keeps it.</summary>
/// <param name="Name">The node's name (what it registered as).</param>
/// <param name="Inventory">Its last reported inventory.</param>
/// <param name="LastSeenMs">Its last heartbeat, Unix ms (the control plane's clock).</param>
/// <param name="Lost">True once the scheduler marked it lost (no heartbeat within the timeout); cleared by its next
/// heartbeat.</param>
public sealed record NodeRecord(string Name, NodeInventory Inventory, long LastSeenMs, bool Lost);

/// <summary>One worker the scheduler placed on a node: the node agent keeps exactly its assigned workers
/// running.</summary>
/// <param name="WorkerId">The worker's id (its <c>RUNPOD_POD_ID</c>).</param>
/// <param name="Endpoint">The endpoint it serves.</param>
/// <param name="Node">The node it runs on.</param>
/// <param name="GpuIndexes">Its cards on that node (<c>CUDA_VISIBLE_DEVICES</c>); empty for a CPU worker.</param>
/// <param name="BytesPerGpu">VRAM held on each card; null means each card whole.</param>
/// <param name="Command">A shell command (<c>command:</c> endpoints); null runs the node's own app in its worker
/// role.</param>
/// <param name="WorkingDirectory">Where the command runs when that directory exists on the node; null keeps the
/// agent's.</param>
/// <param name="Environment">The endpoint's own variables plus the placement's (<c>CUDA_VISIBLE_DEVICES</c>,
/// <c>HEARTH_GPUS</c>…).</param>
/// <param name="CreatedMs">When it was placed, Unix ms.</param>
public sealed record WorkerAssignment(
    string WorkerId,
    string Endpoint,
    string Node,
    IReadOnlyList<int> GpuIndexes,
    long? BytesPerGpu,
    string? Command,
    string? WorkingDirectory,
    IReadOnlyDictionary<string, string> Environment,
    long CreatedMs)
{
    /// <summary>
    /// Why the scheduler ordered this worker killed at once (it kept running a job it was told to stop), or null.
    /// A killed worker stays assigned, holding its cards, until its node reports the exit.
    /// </summary>
    public string? Killed { get; init; }
}

/// <summary>A worker a node reported ended, kept until the scheduler leader reads it (crash accounting).</summary>
/// <param name="WorkerId">The worker.</param>
/// <param name="Endpoint">Its endpoint.</param>
/// <param name="ExitCode">Its exit code; -1 when it could not be started.</param>
/// <param name="LastLines">Its last output lines, oldest first (the error when it could not be started).</param>
/// <param name="Requested">Whether it was asked to stop (killed); false: it exited on its own.</param>
public sealed record WorkerExitRecord(
    string WorkerId, string Endpoint, int ExitCode, IReadOnlyList<string> LastLines, bool Requested);

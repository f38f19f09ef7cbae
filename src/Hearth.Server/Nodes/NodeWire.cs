using Hearth.Core.Placement;
using Hearth.Store.Nodes;

namespace Hearth.Server.Nodes;

/// <summary>What a node agent sends every heartbeat: its inventory, the workers it runs, and those that
/// exited.</summary>
/// <param name="Inventory">CPU cores, memory, GPUs with VRAM, data center (its <c>NodeId</c> is replaced by the
/// route's name).</param>
/// <param name="Running">Ids of the workers it runs now.</param>
/// <param name="Exits">Workers that exited since the last heartbeat that was answered.</param>
public sealed record NodeHeartbeat(
    NodeInventory Inventory, IReadOnlyList<string> Running, IReadOnlyList<NodeWorkerExit> Exits);

/// <summary>A worker process on a node ended.</summary>
/// <param name="WorkerId">The worker.</param>
/// <param name="ExitCode">Its exit code (128 + signal when a signal ended it; -1 when it could not be started).</param>
/// <param name="Endpoint">Its endpoint.</param>
/// <param name="LastLines">Its last stderr lines, oldest first (the error when it could not be started).</param>
/// <param name="Requested">Whether the control plane asked for it (a kill); false: it exited on its own.</param>
public sealed record NodeWorkerExit(
    string WorkerId, int ExitCode, string? Endpoint = null, IReadOnlyList<string>? LastLines = null,
    bool Requested = false);

/// <summary>The control plane's answer to a node: exactly the workers it should run now (start the missing, stop the
/// rest).</summary>
/// <param name="Version">The assignments' version; an agent ignores an answer older than one it already
/// applied.</param>
/// <param name="WasLost">True when this heartbeat brought back a node that had been marked lost (its old workers are
/// no longer assigned).</param>
/// <param name="LeaseMs">The job lease workers get (<c>HEARTH_LEASE_MS</c>).</param>
/// <param name="PingMs">The worker heartbeat interval (<c>RUNPOD_PING_INTERVAL</c>).</param>
/// <param name="HeartbeatMs">How often the node should heartbeat.</param>
/// <param name="Workers">The node's workers, each with its worker token.</param>
public sealed record NodeOrders(
    long Version, bool WasLost, long LeaseMs, long PingMs, long HeartbeatMs, IReadOnlyList<NodeWorkerOrder> Workers);

/// <summary>One worker a node must run.</summary>
/// <param name="Assignment">Where and what (endpoint, cards, command, environment).</param>
/// <param name="Token">The worker token for its endpoint (<c>RUNPOD_AI_API_KEY</c>).</param>
public sealed record NodeWorkerOrder(WorkerAssignment Assignment, string Token);

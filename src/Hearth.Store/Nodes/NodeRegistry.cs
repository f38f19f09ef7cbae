using System.Text.Json;
using Hearth.Core.Placement;
using Hearth.Store.Scripts;
using StackExchange.Redis;

namespace Hearth.Store.Nodes;

/// <summary>
/// Nodes and the workers placed on them, in the store so that any control-plane replica can answer a node and any
/// leader can schedule. Keys are cluster-wide (hash tag <c>{hearth}</c>, like leadership); scripts get every key in
/// KEYS (scripts in <c>Scripts/node_*.lua</c>).
/// Nodes write only their own heartbeat; assignments are written by the scheduler leader, and by whichever replica
/// hears a node report a worker's exit.
/// </summary>
public sealed class NodeRegistry(IConnectionMultiplexer connection)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private static readonly RedisKey Inventories = "hearth:{hearth}:nodes";
    private static readonly RedisKey Seen = "hearth:{hearth}:nodes:seen";
    private static readonly RedisKey LostAt = "hearth:{hearth}:nodes:lost";
    private static readonly RedisKey Assigned = "hearth:{hearth}:assign";
    private static readonly RedisKey AssignedNode = "hearth:{hearth}:assign:node";
    private static readonly RedisKey Version = "hearth:{hearth}:assign:version";
    private static readonly RedisKey Exits = "hearth:{hearth}:exits";

    /// <summary>How many reported exits the store keeps for the leader (the oldest go first).</summary>
    private const int ExitsKept = 1000;

    private readonly IDatabase _db = connection.GetDatabase();

    /// <summary>Records a node's heartbeat and inventory; true when the node had been marked lost (it is live
    /// again).</summary>
    public async Task<bool> HeartbeatAsync(
        NodeInventory inventory, long nowMs, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(inventory);
        var r = await _db.ScriptEvaluateAsync(ScriptLibrary.NodeHeartbeat, [Inventories, Seen, LostAt],
            [inventory.NodeId, JsonSerializer.Serialize(
                inventory, Json), nowMs]).WaitAsync(cancellationToken).ConfigureAwait(false);
        return (long)r == 1;
    }

    /// <summary>Every node that ever registered, lost ones included.</summary>
    public async Task<IReadOnlyList<NodeRecord>> ListAsync(CancellationToken cancellationToken = default)
    {
        var inventories = _db.HashGetAllAsync(Inventories);
        var seen = _db.HashGetAllAsync(Seen);
        var lost = _db.HashGetAllAsync(LostAt);
        await Task.WhenAll(inventories, seen, lost).WaitAsync(cancellationToken).ConfigureAwait(false);
        var seenBy = (await seen.ConfigureAwait(false))
            .ToDictionary(e => e.Name.ToString(), e => (long)e.Value, StringComparer.Ordinal);
        var lostSet = (
            await lost.ConfigureAwait(false)).Select(e => e.Name.ToString()).ToHashSet(StringComparer.Ordinal);
        return [.. (await inventories.ConfigureAwait(false))
            .Select(
                e => new NodeRecord(e.Name!, JsonSerializer.Deserialize<NodeInventory>(e.Value.ToString(), Json)!,
                seenBy.GetValueOrDefault(e.Name!), lostSet.Contains(e.Name!)))
            .OrderBy(n => n.Name, StringComparer.Ordinal)];
    }

    /// <summary>Marks a node lost unless it heartbeat after <paramref name="cutoffMs"/>; returns the workers it no
    /// longer runs (null when not marked).</summary>
    public async Task<IReadOnlyList<string>?> MarkLostAsync(
        string name, long cutoffMs, long nowMs, CancellationToken cancellationToken = default)
    {
        var r = await _db.ScriptEvaluateAsync(
            ScriptLibrary.NodeLose, [Seen, LostAt, Assigned, AssignedNode, Version], [name, cutoffMs, nowMs])
            .WaitAsync(cancellationToken).ConfigureAwait(false);
        return r.IsNull ? null : ((RedisResult[])r!).Select(x => x.ToString()).ToList();
    }

    /// <summary>Places a worker on its node.</summary>
    public async Task AssignAsync(WorkerAssignment assignment, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(assignment);
        var batch = _db.CreateTransaction();
        _ = batch.HashSetAsync(Assigned, assignment.WorkerId, JsonSerializer.Serialize(assignment, Json));
        _ = batch.HashSetAsync(AssignedNode, assignment.WorkerId, assignment.Node);
        _ = batch.StringIncrementAsync(Version);
        await batch.ExecuteAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Removes a worker's assignment (stop it, or it exited); with <paramref name="node"/>, only when it is
    /// on that node.</summary>
    public async Task<bool> UnassignAsync(
        string workerId, string? node = null, CancellationToken cancellationToken = default) =>
        (
            long)await _db.ScriptEvaluateAsync(ScriptLibrary.NodeUnassign, [Assigned, AssignedNode, Version],
            [workerId, node ?? string.Empty])
            .WaitAsync(cancellationToken).ConfigureAwait(false) == 1;

    /// <summary>
    /// A node reports a worker ended: its assignment goes (when it is on that node) and the exit is kept for the
    /// scheduler leader. False when it was not assigned there (an exit reported twice, or after the node was lost).
    /// </summary>
    public async Task<bool> ExitedAsync(
        string node, WorkerExitRecord exit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(exit);
        var r = await _db.ScriptEvaluateAsync(ScriptLibrary.NodeExit, [Assigned, AssignedNode, Version, Exits],
            [exit.WorkerId, node, JsonSerializer.Serialize(exit, Json), ExitsKept])
            .WaitAsync(cancellationToken).ConfigureAwait(false);
        return (long)r == 1;
    }

    /// <summary>The exits reported since the last call, oldest first (read by the scheduler leader).</summary>
    public async Task<IReadOnlyList<WorkerExitRecord>> TakeExitsAsync(CancellationToken cancellationToken = default)
    {
        var r = await _db.ScriptEvaluateAsync(ScriptLibrary.NodeExitsTake, [Exits]).WaitAsync(cancellationToken)
            .ConfigureAwait(false);
        return [.. ((RedisResult[])r!).Select(x => JsonSerializer.Deserialize<WorkerExitRecord>(x.ToString(), Json)!)];
    }

    /// <summary>
    /// Orders a worker killed at once, with the reason: its assignment stays (its cards stay reserved) and carries
    /// <see cref="WorkerAssignment.Killed"/> until its node reports the exit. False when it is no longer assigned.
    /// </summary>
    public async Task<bool> KillAsync(string workerId, string reason, CancellationToken cancellationToken = default)
    {
        var json = await _db.HashGetAsync(Assigned, workerId).WaitAsync(cancellationToken).ConfigureAwait(false);
        if (json.IsNull)
        {
            return false;
        }

        var killed = JsonSerializer.Deserialize<WorkerAssignment>(json.ToString(), Json)! with { Killed = reason };
        var batch = _db.CreateTransaction();
        batch.AddCondition(Condition.HashEqual(Assigned, workerId, json)); // an exit reported meanwhile wins
        _ = batch.HashSetAsync(Assigned, workerId, JsonSerializer.Serialize(killed, Json));
        _ = batch.StringIncrementAsync(Version);
        return await batch.ExecuteAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Every assignment, with the version it was read at (it grows with every change).</summary>
    public async Task<(
        long Version,
        IReadOnlyList<WorkerAssignment> Workers)> AssignmentsAsync(CancellationToken cancellationToken = default)
    {
        var batch = _db.CreateTransaction();
        var version = batch.StringGetAsync(Version);
        var all = batch.HashValuesAsync(Assigned);
        await batch.ExecuteAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
        var v = await version.ConfigureAwait(false);
        return (v.IsNull ? 0 : (long)v, [.. (await all.ConfigureAwait(false))
            .Select(x => JsonSerializer.Deserialize<WorkerAssignment>(x.ToString(), Json)!)]);
    }

    /// <summary>The assignments' version alone (cheap, for long polls).</summary>
    public async Task<long> VersionAsync(CancellationToken cancellationToken = default)
    {
        var v = await _db.StringGetAsync(Version).WaitAsync(cancellationToken).ConfigureAwait(false);
        return v.IsNull ? 0 : (long)v;
    }
}

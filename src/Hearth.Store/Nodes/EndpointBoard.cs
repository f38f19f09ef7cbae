using StackExchange.Redis;

namespace Hearth.Store.Nodes;

/// <summary>
/// What the scheduler leader last saw of each endpoint (its state, reason and workers, as JSON), published in the
/// store so that every control-plane replica answers the admin API, <c>/health</c> and a queued job's
/// <c>waiting</c> the same way, not only the leader. One hash, cluster-wide (hash tag <c>{hearth}</c>).
/// </summary>
public sealed class EndpointBoard(IConnectionMultiplexer connection)
{
    private static readonly RedisKey Board = "hearth:{hearth}:endpoints:board";
    private static readonly RedisValue At = "@at";

    private readonly IDatabase _db = connection.GetDatabase();

    /// <summary>Replaces the published statuses (one JSON text per endpoint), stamped with the leader's
    /// clock.</summary>
    public async Task PublishAsync(IReadOnlyDictionary<string, string> statuses, long nowMs,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(statuses);
        HashEntry[] entries = [new(At, nowMs), .. statuses.Select(s => new HashEntry(s.Key, s.Value))];
        await _db.HashSetAsync(Board, entries).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The published statuses and when they were published (Unix ms; 0 when never).</summary>
    public async Task<(long AtMs, IReadOnlyDictionary<string, string> Statuses)> ReadAsync(
        CancellationToken cancellationToken = default)
    {
        var all = await _db.HashGetAllAsync(Board).WaitAsync(cancellationToken).ConfigureAwait(false);
        var at = all.FirstOrDefault(e => e.Name == At);
        return (at.Value.IsNull ? 0 : (long)at.Value,
            all.Where(e => e.Name != At).ToDictionary(e => e.Name.ToString(), e => e.Value.ToString(),
                StringComparer.Ordinal));
    }
}

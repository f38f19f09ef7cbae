using System.Text.Json;
using Hearth.Store.Scripts;
using StackExchange.Redis;

namespace Hearth.Store.Audit;

/// <summary>
/// The audit log in the store, shared by every replica: appended in one script (sequence number and entry), capped at
/// <see cref="Kept"/> entries (the oldest go first), read newest first in pages.
/// </summary>
public sealed class AuditLog(IConnectionMultiplexer connection)
{
    /// <summary>How many entries the store keeps.</summary>
    public const int Kept = 10_000;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private static readonly RedisKey Log = "hearth:{hearth}:audit";
    private static readonly RedisKey Seq = "hearth:{hearth}:audit:seq";

    private readonly IDatabase _db = connection.GetDatabase();

    /// <summary>Appends an entry (its <see cref="AuditEntry.Seq"/> is ignored); returns the sequence number
    /// given.</summary>
    public async Task<long> AppendAsync(AuditEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var body = JsonSerializer.Serialize(entry with { Seq = 0 }, Json);

        // The script puts the real sequence number first; the placeholder is dropped here.
        body = "{" + body[(body.IndexOf(',', StringComparison.Ordinal) + 1)..];
        var r = await _db.ScriptEvaluateAsync(ScriptLibrary.AuditAppend, [Log, Seq], [body, Kept])
            .WaitAsync(cancellationToken).ConfigureAwait(false);
        return (long)r;
    }

    /// <summary>Up to <paramref name="limit"/> entries older than <paramref name="before"/> (null: the newest),
    /// newest first.</summary>
    public async Task<IReadOnlyList<AuditEntry>> PageAsync(
        long? before, int limit, CancellationToken cancellationToken = default)
    {
        var items = await _db.SortedSetRangeByScoreAsync(Log, double.NegativeInfinity,
            before is { } b ? b : double.PositiveInfinity, before is null ? Exclude.None : Exclude.Stop,
            Order.Descending, 0, limit).WaitAsync(cancellationToken).ConfigureAwait(false);
        return [.. items.Select(i => JsonSerializer.Deserialize<AuditEntry>(i.ToString(), Json)!)];
    }
}

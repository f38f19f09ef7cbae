using System.Text.Json;
using Hearth.Store.Scripts;
using StackExchange.Redis;

namespace Hearth.Store.Keys;

/// <summary>
/// Client keys, worker tokens, node tokens and metrics keys kept as data, so an operator can create, rotate and revoke
/// them on a running cluster. Keys are cluster-wide (hash tag <c>{hearth}</c>); every write grows a version that each
/// replica polls (<see cref="VersionAsync"/>) and, when it changed, reloads the few records (<see cref="LoadAsync"/>).
/// Secrets are never stored, only their hashes.
/// </summary>
public sealed class KeyRegistry(IConnectionMultiplexer connection)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private static readonly RedisKey Records = "hearth:{hearth}:keys";
    private static readonly RedisKey Version = "hearth:{hearth}:keys:version";
    private static readonly RedisKey Used = "hearth:{hearth}:keys:used";

    private readonly IDatabase _db = connection.GetDatabase();

    /// <summary>Grows with every change; 0 before the first.</summary>
    public async Task<long> VersionAsync(CancellationToken cancellationToken = default) =>
        (long?)await _db.StringGetAsync(Version).WaitAsync(cancellationToken).ConfigureAwait(false) ?? 0;

    /// <summary>Every stored key and the version they are as of (read first, so a change made during the read
    /// shows as a newer version at the next poll).</summary>
    public async Task<(long Version, IReadOnlyList<KeyRecord> Keys)> LoadAsync(
        CancellationToken cancellationToken = default)
    {
        var version = await VersionAsync(cancellationToken).ConfigureAwait(false);
        var all = await _db.HashGetAllAsync(Records).WaitAsync(cancellationToken).ConfigureAwait(false);
        return (version, [.. all.Select(e => JsonSerializer.Deserialize<KeyRecord>(e.Value.ToString(), Json)!)
            .OrderBy(k => k.CreatedMs).ThenBy(k => k.Id, StringComparer.Ordinal)]);
    }

    /// <summary>Stores a new key; false when its id is taken.</summary>
    public Task<bool> CreateAsync(KeyRecord key, CancellationToken cancellationToken = default) =>
        PutAsync(key, "new", cancellationToken);

    /// <summary>Replaces an existing key (a new expiry at rotation); false when it no longer exists.</summary>
    public Task<bool> UpdateAsync(KeyRecord key, CancellationToken cancellationToken = default) =>
        PutAsync(key, "update", cancellationToken);

    /// <summary>Deletes a key; returns what it was, or null when there was no such key.</summary>
    public async Task<KeyRecord?> RevokeAsync(string id, CancellationToken cancellationToken = default)
    {
        var r = await _db.ScriptEvaluateAsync(ScriptLibrary.KeyRevoke, [Records, Version, Used], [id])
            .WaitAsync(cancellationToken).ConfigureAwait(false);
        return r.IsNull ? null : JsonSerializer.Deserialize<KeyRecord>(r.ToString(), Json);
    }

    /// <summary>Records when keys were last used (Unix ms by key id); keys revoked since are skipped.</summary>
    public async Task TouchAsync(
        IReadOnlyDictionary<string, long> lastUsed, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lastUsed);
        if (lastUsed.Count == 0)
        {
            return;
        }

        var live = await _db.HashKeysAsync(Records).WaitAsync(cancellationToken).ConfigureAwait(false);
        var ids = live.Select(k => k.ToString()).ToHashSet(StringComparer.Ordinal);
        var entries = lastUsed.Where(e => ids.Contains(e.Key)).Select(e => new HashEntry(e.Key, e.Value)).ToArray();
        if (entries.Length > 0)
        {
            await _db.HashSetAsync(Used, entries).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>When each key was last used (Unix ms by key id), as far as replicas have reported.</summary>
    public async Task<IReadOnlyDictionary<string, long>> LastUsedAsync(CancellationToken cancellationToken = default)
    {
        var all = await _db.HashGetAllAsync(Used).WaitAsync(cancellationToken).ConfigureAwait(false);
        return all.ToDictionary(e => e.Name.ToString(), e => (long)e.Value, StringComparer.Ordinal);
    }

    private async Task<bool> PutAsync(KeyRecord key, string mode, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        var r = await _db.ScriptEvaluateAsync(ScriptLibrary.KeyPut, [Records, Version],
            [key.Id, JsonSerializer.Serialize(key, Json), mode]).WaitAsync(cancellationToken).ConfigureAwait(false);
        return (long)r == 1;
    }
}

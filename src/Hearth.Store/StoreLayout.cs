using System.Globalization;
using System.Text.RegularExpressions;
using Hearth.Store.Scripts;
using StackExchange.Redis;

namespace Hearth.Store;

/// <summary>
/// The store's key layout and its upgrade. Layout 2 keeps a job's small fields in one hash of its own
/// (<see cref="EndpointKeys.JobFields"/>); layout 1, written by Hearth before it, kept one per-endpoint hash per field
/// (<c>hearth:{ep}:st</c> id → status, and so on). A store of layout 1 is moved to layout 2 when it is opened, before
/// anything reads it, a few hundred jobs per script so the store stays responsive; the move can be interrupted and
/// resumed (each job is moved whole, in one script), and it never drops a field. Replicas of an older Hearth must be
/// stopped first: they would not see the moved jobs.
/// </summary>
public static partial class StoreLayout
{
    /// <summary>The layout this version writes.</summary>
    public const int Current = 2;

    /// <summary>The key holding the layout of the store (absent before layout 2).</summary>
    public static readonly RedisKey VersionKey = "hearth:{hearth}:layout";

    private const int Batch = 500;

    /// <summary>
    /// Brings the store to <see cref="Current"/>: returns how many jobs were moved (0 for a store already current,
    /// or a new one) and the endpoints they belong to. Throws <see cref="StoreConfigurationException"/> for a store
    /// written by a newer Hearth.
    /// </summary>
    public static (long Jobs, IReadOnlyList<string> Endpoints) Upgrade(IConnectionMultiplexer connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var db = connection.GetDatabase();
        var version = (string?)db.StringGet(VersionKey);
        if (version is not null)
        {
            return int.TryParse(version, NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v <= Current
                ? (0, [])
                : throw new StoreConfigurationException(
                    $"The store holds data in layout {version}, written by a newer Hearth than this one (layout {Current}). " +
                    "Run the newer Hearth, or point --store at another store (or --data-dir at another directory).");
        }

        long moved = 0;
        var endpoints = new List<string>();
        foreach (var endpoint in LayoutOneEndpoints(connection))
        {
            var n = MoveEndpoint(db, endpoint);
            if (n > 0)
            {
                moved += n;
                endpoints.Add(endpoint);
            }
        }

        db.StringSet(VersionKey, Current.ToString(CultureInfo.InvariantCulture));
        return (moved, endpoints);
    }

    /// <summary>The endpoints with a layout-1 status hash, found with <c>SCAN</c> on every primary.</summary>
    private static SortedSet<string> LayoutOneEndpoints(IConnectionMultiplexer connection)
    {
        var found = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var server in connection.GetServers().Where(s => !s.IsReplica && s.IsConnected))
        {
            foreach (var key in server.Keys(pattern: "hearth:{*}:st", pageSize: 1000))
            {
                var m = StatusHash().Match(key.ToString());
                if (m.Success && server.Multiplexer.GetDatabase().KeyType(key) == RedisType.Hash)
                {
                    found.Add(m.Groups[1].Value);
                }
            }
        }

        return found;
    }

    private static long MoveEndpoint(IDatabase db, string endpoint)
    {
        var fields = EndpointKeys.JobFields;
        RedisKey[] keys = [EndpointKeys.Key(endpoint, "job"), .. fields.Select(f => EndpointKeys.Key(endpoint, f))];
        RedisValue[] head = [fields.Length, .. fields.Select(f => (RedisValue)f)];
        long moved = 0;

        // Every job has a status: moving the ids the status hash still holds, until none is left, moves every job.
        // A pass of HSCAN may miss ids the moves shifted, so passes repeat while the hash is not empty.
        while (db.HashLength(keys[1]) > 0)
        {
            var ids = new List<RedisValue>(Batch);
            foreach (var entry in db.HashScan(keys[1], pageSize: Batch))
            {
                ids.Add(entry.Name);
                if (ids.Count == Batch)
                {
                    moved += (long)db.ScriptEvaluate(ScriptLibrary.Migrate, keys, [.. head, .. ids]);
                    ids.Clear();
                }
            }

            if (ids.Count > 0)
            {
                moved += (long)db.ScriptEvaluate(ScriptLibrary.Migrate, keys, [.. head, .. ids]);
            }
        }

        // What is left in the other field hashes belongs to no job (a status is written first and deleted last).
        db.KeyDelete([.. keys.Skip(1)]);
        return moved;
    }

    [GeneratedRegex(@"^hearth:\{([^{}]+)\}:st$")]
    private static partial Regex StatusHash();
}

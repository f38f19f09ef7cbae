using System.Globalization;
using System.Text.RegularExpressions;
using Hearth.Store.Scripts;
using StackExchange.Redis;

namespace Hearth.Store;

/// <summary>
/// The store's key layout and its upgrade. Layout 2 keeps a job's small fields in one hash of its own
/// (<see cref="EndpointKeys.JobFields"/>), a queue in segments and deadlines by the second, so no record grows with the
/// queue; layout 1, written by Hearth before it, kept one per-endpoint hash per field (<c>hearth:{ep}:st</c> id →
/// status, and so on), each queue in one list and each kind of deadline in one zset. A store of layout 1 is moved to
/// layout 2 when it is opened, before
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
                    $"The store holds data in layout {version}, written by a newer Hearth than this one " +
                    $"(layout {Current}). " +
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

    /// <summary>The endpoints with a layout-1 key (a field hash, a queue list, a deadline zset), found with
    /// <c>SCAN</c> on every primary.</summary>
    private static SortedSet<string> LayoutOneEndpoints(IConnectionMultiplexer connection)
    {
        var found = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var server in connection.GetServers().Where(s => !s.IsReplica && s.IsConnected))
        {
            foreach (var key in server.Keys(pattern: "hearth:{*}:[sqtk]*", pageSize: 1000))
            {
                var m = LayoutOneKey().Match(key.ToString());
                if (m.Success && !found.Contains(m.Groups[1].Value))
                {
                    var expected = m.Groups[2].Value switch
                    {
                        "st" => RedisType.Hash,
                        "q" or "ql" => RedisType.List,
                        _ => RedisType.SortedSet,
                    };
                    if (connection.GetDatabase().KeyType(key) == expected)
                    {
                        found.Add(m.Groups[1].Value);
                    }
                }
            }
        }

        return found;
    }

    /// <summary>Moves one endpoint: job fields first (the other moves read them), then queues, then
    /// deadlines.</summary>
    private static long MoveEndpoint(IDatabase db, string endpoint)
    {
        var moved = MoveFields(db, endpoint);
        foreach (var kind in new[] { "Q", "QL" })
        {
            var script = ScriptLibrary.MigrateQueue;
            while ((long)db.ScriptEvaluate(script.Text, script.Keys(endpoint), [kind]) > 0)
            {
            }
        }

        foreach (var (old, index) in new[] { ("ttlz", "ttl"), ("keep", "kept") })
        {
            var script = ScriptLibrary.MigrateDue;
            RedisKey[] keys = [.. script.Keys(endpoint), EndpointKeys.Key(endpoint, old)];
            while ((long)db.ScriptEvaluate(script.Text, keys, [index, Batch]) > 0)
            {
            }
        }

        return moved;
    }

    private static long MoveFields(IDatabase db, string endpoint)
    {
        var fields = EndpointKeys.JobFields.Where(f => f is not ("ttl" or "kept")).ToArray();
        var script = ScriptLibrary.Migrate;
        RedisKey status = EndpointKeys.Key(endpoint, "st");
        RedisKey[] keys = [.. script.Keys(endpoint), .. fields.Select(f => EndpointKeys.Key(endpoint, f))];
        RedisValue[] head = [fields.Length, .. fields.Select(f => (RedisValue)f)];
        long moved = 0;

        // Every job has a status: moving the ids the status hash still holds, until none is left, moves every job.
        // A pass of HSCAN may miss ids the moves shifted, so passes repeat while the hash is not empty.
        while (db.HashLength(status) > 0)
        {
            var ids = new List<RedisValue>(Batch);
            foreach (var entry in db.HashScan(status, pageSize: Batch))
            {
                ids.Add(entry.Name);
                if (ids.Count == Batch)
                {
                    moved += (long)db.ScriptEvaluate(script.Text, keys, [.. head, .. ids]);
                    ids.Clear();
                }
            }

            if (ids.Count > 0)
            {
                moved += (long)db.ScriptEvaluate(script.Text, keys, [.. head, .. ids]);
            }
        }

        // What is left in the other field hashes belongs to no job (a status is written first and deleted last).
        db.KeyDelete([.. fields.Select(f => EndpointKeys.Key(endpoint, f))]);
        return moved;
    }

    [GeneratedRegex(@"^hearth:\{([^{}]+)\}:(st|q|ql|ttlz|keep)$")]
    private static partial Regex LayoutOneKey();
}

using StackExchange.Redis;

namespace Hearth.Store;

/// <summary>What the durability check decided for an external server.</summary>
/// <param name="WaitAof">True when every acknowledged write must be followed by <c>WAITAOF 1 0</c> (Redis ≥ 7.2,
/// <c>appendfsync</c> not <c>always</c>).</param>
/// <param name="Warnings">Things a person should know, printed at start.</param>
/// <param name="Summary">The server's persistence settings in one phrase, e.g.
/// <c>appendonly yes, appendfsync always</c>.</param>
internal sealed record DurabilityPlan(bool WaitAof, IReadOnlyList<string> Warnings, string Summary);

/// <summary>Refuses an external server that could silently lose jobs, or that cannot give the durability asked
/// for.</summary>
internal static class ServerCheck
{
    public static DurabilityPlan EnsureSafe(
        IConnectionMultiplexer connection, string display, StoreDurability durability)
    {
        var endpoint = connection.GetEndPoints()[0];
        var server = connection.GetServer(endpoint);
        var info = server.Info("server").SelectMany(g => g)
            .ToDictionary(p => p.Key, p => p.Value, StringComparer.OrdinalIgnoreCase);
        if (info.ContainsKey("garnet_version"))
        {
            // Garnet has no eviction of our data structures to configure and does not answer CONFIG GET for its AOF
            // settings, so its durability is what it was started with: say so rather than claim a mode.
            return new DurabilityPlan(false,
                [$"The store at {display} is Garnet: Hearth cannot read its persistence settings; {Name(durability)} "
                    + "holds only if it runs with --aof --aof-commit-wait (see docs/durability.md)."],
                "Garnet, settings not readable");
        }

        Version? v = null;
        if (info.TryGetValue("redis_version", out var version) && Version.TryParse(version, out v) && v.Major < 7)
        {
            throw new StoreConfigurationException(
                $"The store at {display} runs Redis {version}; Hearth needs Redis 7 or newer (or Valkey, or Garnet). "
                + "Upgrade the server.");
        }

        var policy = Config(server, display, "maxmemory-policy");
        if (!string.Equals(policy, "noeviction", StringComparison.OrdinalIgnoreCase))
        {
            throw new StoreConfigurationException(
                $"The store at {display} has maxmemory-policy '{policy}'. Hearth refuses it: under memory pressure " +
                "Redis would silently evict queued jobs. Fix: run 'redis-cli CONFIG SET maxmemory-policy " +
                "noeviction' and put 'maxmemory-policy noeviction' in redis.conf so it survives a restart.");
        }

        var aof = string.Equals(Config(server, display, "appendonly"), "yes", StringComparison.OrdinalIgnoreCase);
        var fsync = (Config(server, display, "appendfsync") ?? "everysec").ToLowerInvariant();
        var summary = aof ? $"appendonly yes, appendfsync {fsync}" : "appendonly no";
        var waitAof = v is not null && (v.Major > 7 || (v.Major == 7 && v.Minor >= 2));
        var accept = $" Or accept a loss window with --durability {(aof ? "fsync-everysec" : "memory")} (see "
            + "docs/durability.md).";
        switch (durability)
        {
            case StoreDurability.FsyncAlways when !aof:
                throw new StoreConfigurationException(
                    $"The store at {display} runs with appendonly no: a crash or restart loses every job, but " +
                    "--durability fsync-always promises none is lost. " +
                    "Fix: 'redis-cli CONFIG SET appendonly yes' and 'CONFIG SET appendfsync "
                    + "always' (and both in redis.conf)." + accept);
            case StoreDurability.FsyncAlways when fsync == "always":
                return new DurabilityPlan(false, [], summary);
            case StoreDurability.FsyncAlways when waitAof:
                return new DurabilityPlan(true, [$"appendfsync is {fsync}: every submit, result and step waits for "
                    + "WAITAOF 1 0 (fsync of the local AOF) before it is acknowledged."], summary);
            case StoreDurability.FsyncAlways:
                throw new StoreConfigurationException(
                    $"The store at {display} runs with appendfsync {fsync} and Redis {version} has no WAITAOF " +
                    "(7.2+): acknowledged jobs could be lost in a crash, " +
                    "but --durability fsync-always promises none is. Fix: 'redis-cli CONFIG SET appendfsync always' "
                    + "(and in redis.conf), or upgrade to Redis 7.2+." + accept);
            case StoreDurability.FsyncEverySecond when !aof:
                throw new StoreConfigurationException(
                    $"The store at {display} runs with appendonly no: a restart loses every job, more than " +
                    "--durability fsync-everysec allows. " +
                    "Fix: 'redis-cli CONFIG SET appendonly yes' (and in redis.conf), or accept "
                    + "that with --durability memory.");
            case StoreDurability.FsyncEverySecond when fsync == "no":
                return new DurabilityPlan(false,
                    ["appendfsync is no: the OS flushes the AOF when it likes (about 30 s on Linux), so a power loss "
                        + "can lose that much, more than fsync-everysec's ~1 s. Set 'appendfsync everysec'."], summary);
            case StoreDurability.Memory when !aof:
                return new DurabilityPlan(false,
                    ["durability memory: a restart of the store loses every job and session."], summary);
            default:
                return new DurabilityPlan(false, [], summary);
        }
    }

    public static string Name(StoreDurability durability) => StoreDurabilityNames.Of(durability);

    private static string? Config(IServer server, string display, string name)
    {
        try
        {
            return server.ConfigGet(name).FirstOrDefault().Value;
        }
        catch (RedisServerException e)
        {
            throw new StoreConfigurationException(
                $"The store at {display} refused CONFIG GET {name} ({e.Message}); Hearth must check that eviction is " +
                "off and how it persists. " +
                "Allow CONFIG GET for Hearth's user, or ask your provider for maxmemory-policy noeviction and an AOF.",
                e);
        }
    }
}

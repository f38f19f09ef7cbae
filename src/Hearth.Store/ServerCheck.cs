using StackExchange.Redis;

namespace Hearth.Store;

/// <summary>Refuses an external server that could silently lose jobs.</summary>
internal static class ServerCheck
{
    public static void EnsureSafe(IConnectionMultiplexer connection, string display)
    {
        var endpoint = connection.GetEndPoints()[0];
        var server = connection.GetServer(endpoint);
        var info = server.Info("server").SelectMany(g => g).ToDictionary(p => p.Key, p => p.Value, StringComparer.OrdinalIgnoreCase);
        if (info.ContainsKey("garnet_version"))
        {
            // Garnet has no eviction of our data structures to configure, and does not answer CONFIG GET maxmemory-policy.
            return;
        }

        if (info.TryGetValue("redis_version", out var version) && Version.TryParse(version, out var v) && v.Major < 7)
        {
            throw new StoreConfigurationException(
                $"The store at {display} runs Redis {version}; Hearth needs Redis 7 or newer (or Valkey, or Garnet). Upgrade the server.");
        }

        string? policy;
        try
        {
            policy = server.ConfigGet("maxmemory-policy").FirstOrDefault().Value;
        }
        catch (RedisServerException e)
        {
            throw new StoreConfigurationException(
                $"The store at {display} refused CONFIG GET maxmemory-policy ({e.Message}); Hearth must check that eviction is off. " +
                "Allow CONFIG for Hearth's user, or ask your provider to set maxmemory-policy noeviction.", e);
        }

        if (!string.Equals(policy, "noeviction", StringComparison.OrdinalIgnoreCase))
        {
            throw new StoreConfigurationException(
                $"The store at {display} has maxmemory-policy '{policy}'. Hearth refuses it: under memory pressure Redis would " +
                "silently evict queued jobs. Fix: run 'redis-cli CONFIG SET maxmemory-policy noeviction' and put " +
                "'maxmemory-policy noeviction' in redis.conf so it survives a restart.");
        }
    }
}

using StackExchange.Redis;

namespace Hearth.Store;

/// <summary>What a failed store call means to its caller, whatever client library the store uses.</summary>
public enum StoreFault
{
    /// <summary>The store is out of space (Redis <c>maxmemory</c> with <c>noeviction</c>, the disk budget):
    /// 507.</summary>
    Full,

    /// <summary>The store is unreachable or too slow right now; retry later: 503.</summary>
    Unavailable,

    /// <summary>A write was not confirmed on disk in time, so it was not acknowledged: 503.</summary>
    NotDurable,

    /// <summary>The store answered with an error of its own (a script error): a defect, not a retry.</summary>
    Failed,
}

/// <summary>
/// The one place that knows the store client's exception types: every caller outside <c>Hearth.Store</c> asks
/// <see cref="Of"/> what a failure means instead of catching Redis exceptions.
/// </summary>
public static class StoreFaults
{
    /// <summary>What the failure means, or null when it is not a store failure.</summary>
    /// <param name="e">The exception a store call threw.</param>
    /// <returns>The fault, or null.</returns>
    public static StoreFault? Of(Exception e) => e switch
    {
        StoreRefusedException { Full: true } => StoreFault.Full,
        StoreRefusedException => StoreFault.Unavailable,
        RedisServerException s when s.Message.Contains("OOM", StringComparison.Ordinal) => StoreFault.Full,
        RedisConnectionException or RedisTimeoutException or TimeoutException => StoreFault.Unavailable,
        RedisException when e.Message.StartsWith("WAITAOF", StringComparison.Ordinal) => StoreFault.NotDurable,
        RedisException => StoreFault.Failed,
        _ => null,
    };

    /// <summary>Whether a background loop should note the failure and carry on (any store failure).</summary>
    /// <param name="e">The exception a store call threw.</param>
    /// <returns>True for store failures; false for everything else (a bug, a cancellation).</returns>
    public static bool IsStoreFailure(Exception e) => Of(e) is not null;
}

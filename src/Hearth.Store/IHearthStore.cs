namespace Hearth.Store;

/// <summary>
/// Every fact Hearth keeps lives behind these interfaces, one per concern: jobs (<see cref="IJobStore"/>), leases
/// (<see cref="ILeaseStore"/>), sessions (<see cref="ISessionStore"/>) and the control loops' upkeep and leadership
/// (<see cref="IEndpointStore"/>); a caller takes the one it needs. One implementation,
/// <see cref="RedisHearthStore"/>, speaks the Redis protocol to embedded Garnet or an external Redis; each operation
/// is one atomic Lua script over keys of a single endpoint. All times are Unix milliseconds supplied by the caller's
/// <see cref="TimeProvider"/>, never the store's clock.
/// </summary>
public interface IHearthStore : IJobStore, ILeaseStore, ISessionStore, IEndpointStore
{
}

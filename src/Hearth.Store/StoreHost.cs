using Hearth.Store.Jobs;
using Hearth.Store.Embedded;
using StackExchange.Redis;

namespace Hearth.Store;

/// <summary>
/// Owns the store for a process: starts embedded Garnet or connects to an external Redis, checks that the server
/// is safe to use, and exposes <see cref="Store"/>. Disposing closes the connection and stops embedded Garnet.
/// </summary>
public sealed class StoreHost : IDisposable
{
    private readonly EmbeddedGarnet? _embedded;

    private StoreHost(
        EmbeddedGarnet? embedded, ConnectionMultiplexer connection, string description, bool waitAof = false,
        IReadOnlyList<string>? warnings = null, TimeProvider? time = null, GrowthLimits? growth = null)
    {
        _embedded = embedded;
        Connection = connection;
        Description = description;
        Warnings = warnings ?? [];
        var store = embedded is not null
            ? new RedisHearthStore(
                connection, embedded.CommitsAof ? embedded.WaitForCommitAsync : null, embedded.EnsureRoom,
                embedded.CommitsAof ? embedded.WaitForCommitAsync : null) { Growth = growth ?? new() }
            : new RedisHearthStore(connection, waitAof) { Growth = growth ?? new() };
        Maintenance = embedded is null ? null : new StoreMaintenance(embedded, time ?? TimeProvider.System);
        Store = store;
        Traces = store;
    }

    /// <summary>The embedded store's settings (data directory, port, sizes); null for an external store.</summary>
    public EmbeddedSettings? Embedded => _embedded?.Settings;

    /// <summary>The embedded store's checkpoints and disk budget; null for an external store.</summary>
    public StoreMaintenance? Maintenance { get; }

    /// <summary>True for an external store that several control-plane replicas may share; false for the embedded
    /// one.</summary>
    public bool IsShared => _embedded is null;

    /// <summary>What a person starting Hearth on this store should know (a loss window, an unreadable setting); empty
    /// when nothing.</summary>
    public IReadOnlyList<string> Warnings { get; }

    /// <summary>The store.</summary>
    public IHearthStore Store { get; }

    /// <summary>The built-in span store (same connection).</summary>
    public Traces.ITraceStore Traces { get; }

    /// <summary>The open connection (pub/sub, diagnostics).</summary>
    public IConnectionMultiplexer Connection { get; }

    /// <summary>Where the store is, for a person: <c>embedded Garnet (data: /path)</c> or
    /// <c>redis://host:port</c>.</summary>
    public string Description { get; }

    /// <summary>Starts or connects to the store described by <paramref name="options"/>; throws <see
    /// cref="StoreConfigurationException"/> with a fix when it cannot.</summary>
    public static StoreHost Open(StoreOptions options, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.IsEmbedded)
        {
            var garnet = EmbeddedGarnet.Start(options);
            try
            {
                var connection = ConnectionMultiplexer.Connect(garnet.ConnectionString);
                IReadOnlyList<string> notes;
                try
                {
                    notes = UpgradeLayout(connection);
                }
                catch
                {
                    connection.Dispose();
                    throw;
                }

                var s = garnet.Settings;
                var memory = EmbeddedSizing.Format(s.MemoryBytes)
                    + (s.MemoryFromMachine ? " (from the machine)" : string.Empty);
                return new StoreHost(garnet, connection, warnings: notes, time: time, growth: options.Growth,
                    description:
                    $"embedded Garnet (data: {s.Directory}, {ServerCheck.Name(options.Durability)}, memory {memory}, " +
                    $"index {EmbeddedSizing.Format(s.IndexBytes)}, larger-than-memory on disk)");
            }
            catch
            {
                garnet.Dispose();
                throw;
            }
        }

        var (config, display) = RedisUrl.Parse(options.Store);
        ConnectionMultiplexer external;
        try
        {
            external = ConnectionMultiplexer.Connect(config);
        }
        catch (RedisConnectionException e)
        {
            // Only the client's first sentence: the rest advises settings (abortConnect) that would hide the cause.
            var cause = e.Message.Split(". ", 2)[0].TrimEnd('.');
            throw new StoreConfigurationException(
                $"Cannot connect to the store at {display}: {cause}. Check that the server runs and the address " +
                "is right (redis://host:port), or leave --store out to use the embedded store.", e);
        }

        DurabilityPlan plan;
        IReadOnlyList<string> upgraded;
        try
        {
            plan = ServerCheck.EnsureSafe(external, display, options.Durability);
            upgraded = UpgradeLayout(external);
        }
        catch
        {
            external.Dispose();
            throw;
        }

        return new StoreHost(
            null, external, $"{display} ({ServerCheck.Name(options.Durability)}; {plan.Summary})", plan.WaitAof,
            [.. plan.Warnings, .. upgraded], growth: options.Growth);
    }

    /// <summary>Moves a store written by an earlier Hearth to this version's key layout; a note when it did.</summary>
    private static IReadOnlyList<string> UpgradeLayout(ConnectionMultiplexer connection)
    {
        var (jobs, endpoints) = StoreLayout.Upgrade(connection);
        return jobs == 0
            ? []
            : [$"moved {jobs} jobs of {string.Join(", ", endpoints)} to store layout {StoreLayout.Current} "
                + "(one hash per job)"];
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Maintenance?.Dispose();
        Connection.Dispose();
        _embedded?.Dispose();
    }
}

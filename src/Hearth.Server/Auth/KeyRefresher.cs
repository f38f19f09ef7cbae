using Hearth.Store;
using Hearth.Store.Keys;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Hearth.Server.Auth;

/// <summary>
/// Keeps this replica's <see cref="KeyRing"/> in step with the keys in the store: every <see cref="Interval"/> it reads
/// the keys' version and reloads them when it changed, so a key created, rotated or revoked on any replica takes effect
/// on every replica within about a second. It also reports when stored keys were last used (every
/// <see cref="UseInterval"/>). Store errors are logged and retried at the next tick; the ring keeps what it had.
/// </summary>
public sealed partial class KeyRefresher(
    KeyRegistry registry, KeyRing ring, TimeProvider time, ILogger<KeyRefresher> logger) : BackgroundService
{
    /// <summary>How often the keys' version is read: 1 s.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    /// <summary>How often last uses are written: 30 s.</summary>
    public static readonly TimeSpan UseInterval = TimeSpan.FromSeconds(30);

    /// <inheritdoc />
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        // Stored keys work from the first request; a store that is not up yet is retried by the loop.
        try
        {
            await RefreshAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (StoreFaults.IsStoreFailure(e))
        {
            LogRefreshFailed(logger, e);
        }

        await base.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reloads the keys when their version changed; public so the key routes apply a change at once.</summary>
    public async Task RefreshAsync(CancellationToken cancellationToken = default)
    {
        var version = await registry.VersionAsync(cancellationToken).ConfigureAwait(false);
        if (version == ring.StoredVersion)
        {
            return;
        }

        var (loaded, keys) = await registry.LoadAsync(cancellationToken).ConfigureAwait(false);
        ring.Apply(loaded, keys);
        LogReloaded(logger, keys.Count, loaded);
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        var lastFlush = time.GetUtcNow();
        var failing = false;
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    await RefreshAsync(stoppingToken).ConfigureAwait(false);
                    if (time.GetUtcNow() - lastFlush >= UseInterval)
                    {
                        lastFlush = time.GetUtcNow();
                        await registry.TouchAsync(ring.TakeLastUses(), stoppingToken).ConfigureAwait(false);
                    }

                    failing = false;
                }
                catch (Exception e) when (StoreFaults.IsStoreFailure(e))
                {
                    // Once per outage, not once a second.
                    if (!failing)
                    {
                        LogRefreshFailed(logger, e);
                    }

                    failing = true;
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Loaded {Count} stored keys (version {Version}).")]
    private static partial void LogReloaded(ILogger logger, int count, long version);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Could not read the stored keys; the ring keeps the keys it had and retries in a second.")]
    private static partial void LogRefreshFailed(ILogger logger, Exception exception);
}

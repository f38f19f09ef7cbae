using System.Text;
using System.Threading.Channels;
using Hearth.Store;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Hearth.Server.Jobs;

/// <summary>
/// Relays <see cref="JobSignals"/> between control-plane replicas through the store's pub/sub, so a worker long-polling
/// replica A is woken by a submit on replica B, and a <c>/runsync</c> waiting on A by a result posted to B. Each
/// replica ignores its own messages. Signals raised while a publish is on its way go together in the next one (one
/// per line, repeats once), so a burst of finished jobs costs a few publishes, not one per job. Only for a shared
/// (external) store: one embedded store has one replica.
/// </summary>
public sealed partial class SignalRelay(
    JobSignals signals, StoreHost store, TimeProvider time, ILogger<SignalRelay> logger) : BackgroundService
{
    /// <summary>Most signals in one publish: 512.</summary>
    internal const int MaxPerPublish = 512;

    private static readonly RedisChannel Channel = RedisChannel.Literal("hearth:signals");
    private readonly string _origin = Guid.NewGuid().ToString("N")[..12];
    /// <summary>Most signals waiting to be published: 10000; beyond, the oldest are dropped (a lost wake-up costs a
    /// waiter its long-poll timeout, never a wrong answer).</summary>
    internal const int MaxPending = 10_000;

    private readonly Channel<string> _outbox = System.Threading.Channels.Channel.CreateBounded<string>(
        new BoundedChannelOptions(MaxPending) { SingleReader = true, FullMode = BoundedChannelFullMode.DropOldest });

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!store.IsShared)
        {
            return;
        }

        var subscriber = store.Connection.GetSubscriber();
        signals.Relay = message => _outbox.Writer.TryWrite(message);
        try
        {
            await SubscribeAsync(subscriber, stoppingToken).ConfigureAwait(false);
            var batch = new HashSet<string>(StringComparer.Ordinal);
            var text = new StringBuilder();
            while (await _outbox.Reader.WaitToReadAsync(stoppingToken).ConfigureAwait(false))
            {
                batch.Clear();
                while (batch.Count < MaxPerPublish && _outbox.Reader.TryRead(out var message))
                {
                    batch.Add(message);
                }

                text.Clear().Append(_origin);
                foreach (var message in batch)
                {
                    text.Append('\n').Append(message);
                }

                try
                {
                    await subscriber.PublishAsync(Channel, text.ToString()).ConfigureAwait(false);
                }
                catch (Exception e) when (StoreFaults.IsStoreFailure(e))
                {
                    // Other replicas then wake on their own long-poll timeout: later, never wrong.
                    LogRelayFailed(logger, e);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
        finally
        {
            signals.Relay = null;
            try
            {
                await subscriber.UnsubscribeAsync(Channel).ConfigureAwait(false);
            }
            catch (Exception e) when (StoreFaults.IsStoreFailure(e))
            {
                LogRelayFailed(logger, e);
            }
        }
    }

    /// <summary>Subscribes, retrying every second while the store is unreachable (the connection then keeps the
    /// subscription across reconnects).</summary>
    private async Task SubscribeAsync(ISubscriber subscriber, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                await subscriber.SubscribeAsync(Channel, (_, value) => Receive((string?)value)).ConfigureAwait(false);
                return;
            }
            catch (Exception e) when (StoreFaults.IsStoreFailure(e))
            {
                LogSubscribeFailed(logger, e);
                await Task.Delay(TimeSpan.FromSeconds(1), time, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>A publish from a replica: its origin, then one signal per line; our own are ignored.</summary>
    private void Receive(string? text)
    {
        var lines = text?.Split('\n');
        if (lines is not { Length: > 1 } || lines[0] == _origin)
        {
            return;
        }

        foreach (var message in lines.AsSpan(1))
        {
            signals.Receive(message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Could not subscribe to the other replicas' wake-ups; retrying in 1 s (until then they are noticed "
            + "on the next poll).")]
    private static partial void LogSubscribeFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Could not relay a wake-up to the other replicas; they will notice on their next poll.")]
    private static partial void LogRelayFailed(ILogger logger, Exception exception);
}

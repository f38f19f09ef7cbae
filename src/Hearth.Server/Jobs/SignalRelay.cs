using Hearth.Store;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Hearth.Server.Jobs;

/// <summary>
/// Relays <see cref="JobSignals"/> between control-plane replicas through the store's pub/sub, so a worker long-polling
/// replica A is woken by a submit on replica B, and a <c>/runsync</c> waiting on A by a result posted to B. Each
/// replica ignores its own messages. Only for a shared (external) store: one embedded store has one replica.
/// </summary>
public sealed partial class SignalRelay(
    JobSignals signals, StoreHost store, ILogger<SignalRelay> logger) : IHostedService
{
    private static readonly RedisChannel Channel = RedisChannel.Literal("hearth:signals");
    private readonly string _origin = Guid.NewGuid().ToString("N")[..12];
    private ISubscriber? _subscriber;

    /// <inheritdoc />
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!store.IsShared)
        {
            return;
        }

        _subscriber = store.Connection.GetSubscriber();
        await _subscriber.SubscribeAsync(Channel, (_, value) =>
        {
            var text = (string?)value;
            var bar = text?.IndexOf('|', StringComparison.Ordinal) ?? -1;
            if (bar > 0 && !text.AsSpan(0, bar).SequenceEqual(_origin))
            {
                signals.Receive(text![(bar + 1)..]);
            }
        }).ConfigureAwait(false);
        var subscriber = _subscriber;
        signals.Relay = message =>
        {
            try
            {
                subscriber.Publish(Channel, _origin + "|" + message, CommandFlags.FireAndForget);
            }
            catch (Exception e) when (StoreFaults.IsStoreFailure(e))
            {
                // Other replicas then wake on their own long-poll timeout: later, never wrong.
                LogRelayFailed(logger, e);
            }
        };
    }

    /// <inheritdoc />
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        signals.Relay = null;
        if (_subscriber is not null)
        {
            await _subscriber.UnsubscribeAsync(Channel).ConfigureAwait(false);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Could not relay a wake-up to the other replicas; they will notice on their next poll.")]
    private static partial void LogRelayFailed(ILogger logger, Exception exception);
}

using System.Threading.Channels;

namespace Hearth.Server.Webhooks;

/// <summary>
/// Wakes <see cref="WebhookDispatcher"/> before its next poll: after a sweep (which may have finalized jobs with a
/// webhook) and when a delivery ends (which frees capacity). A poke never waits; pokes made while one is pending
/// merge into it.
/// </summary>
public sealed class WebhookWakeup
{
    private readonly Channel<bool> _pokes =
        Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    /// <summary>Asks the dispatcher to look for deliveries now.</summary>
    public void Poke() => _pokes.Writer.TryWrite(true);

    /// <summary>Returns at the next poke, or after <paramref name="timeout"/> on <paramref name="time"/>.</summary>
    public async Task WaitAsync(TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        using var timer = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timer.Token);
        try
        {
            if (await _pokes.Reader.WaitToReadAsync(linked.Token).ConfigureAwait(false))
            {
                _pokes.Reader.TryRead(out _);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The poll interval passed without a poke.
        }
    }
}

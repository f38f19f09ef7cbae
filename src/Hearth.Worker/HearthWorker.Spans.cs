namespace Hearth.Worker;

public sealed partial class HearthWorker
{
    /// <summary>How often pending spans are sent to the control plane: 500 ms.</summary>
    internal static readonly TimeSpan SpanFlushInterval = TimeSpan.FromMilliseconds(500);

    private bool _spansUnsupported;

    /// <summary>Sends started and finished spans in batches; a control plane without the route (Runpod) is not asked
    /// again.</summary>
    private async Task SpanLoopAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(SpanFlushInterval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                await FlushSpansAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping; RunAsync flushes once more.
        }
    }

    /// <summary>Sends every pending span; internal so tests can drive it.</summary>
    internal async Task FlushSpansAsync(CancellationToken cancellationToken)
    {
        while (!_spansUnsupported && _spans.TakeBatch() is { } batch)
        {
            try
            {
                var status = await _protocol.PostSpansAsync(batch, cancellationToken).ConfigureAwait(false);
                _spansUnsupported = status is System.Net.HttpStatusCode.NotFound
                    or System.Net.HttpStatusCode.MethodNotAllowed;
            }
            catch (Exception e)
                when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                // Spans are diagnostics: a batch lost to a blip is not retried.
                LogPingFailed(_logger, e.Message);
                return;
            }
        }
    }
}

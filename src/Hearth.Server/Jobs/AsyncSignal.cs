namespace Hearth.Server.Jobs;

/// <summary>A level-free wake-up: waiters park until the next <see cref="Fire"/> or their timeout.</summary>
internal sealed class AsyncSignal
{
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Wakes every current waiter.</summary>
    public void Fire() =>
        Interlocked.Exchange(ref _next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously))
            .TrySetResult();

    /// <summary>The task the next <see cref="Fire"/> completes. Take it before checking the condition, then await
    /// it.</summary>
    public Task Next => Volatile.Read(ref _next).Task;
}

/// <summary>Waiting helpers on a <see cref="TimeProvider"/>.</summary>
internal static class Waits
{
    /// <summary>Waits for <paramref name="signal"/> or the timeout; true when signalled.</summary>
    public static async Task<bool> SignalOrTimeoutAsync(
        Task signal, TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        if (signal.IsCompleted)
        {
            return true;
        }

        if (timeout <= TimeSpan.Zero)
        {
            return false;
        }

        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var delay = Task.Delay(timeout, time, cts.Token);
        var first = await Task.WhenAny(signal, delay).ConfigureAwait(false);
        await cts.CancelAsync().ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        return first == signal;
    }
}

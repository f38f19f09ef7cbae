using System.Threading.Channels;
using Microsoft.Extensions.Time.Testing;

namespace Hearth.Testing;

/// <summary>
/// A <see cref="FakeTimeProvider"/> that also reports each timer it creates, so a test can advance the clock
/// exactly when the code under test has started waiting, instead of racing it.
/// </summary>
public sealed class SignallingTimeProvider : TimeProvider
{
    private readonly Channel<TimeSpan> created = Channel.CreateUnbounded<TimeSpan>();

    public FakeTimeProvider Fake { get; } = new();

    public override DateTimeOffset GetUtcNow() => Fake.GetUtcNow();

    public override long GetTimestamp() => Fake.GetTimestamp();

    public override long TimestampFrequency => Fake.TimestampFrequency;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = Fake.CreateTimer(callback, state, dueTime, period);
        created.Writer.TryWrite(dueTime);
        return timer;
    }

    /// <summary>
    /// Completes once a timer due after <paramref name="dueTime"/> has been created; the code under test runs on real
    /// threads, so the wait is bounded by <see cref="Bounded.Patience"/> and a time-out names the timer it expected.
    /// </summary>
    public Task WaitForTimerAsync(TimeSpan dueTime) =>
        WaitForTimerCoreAsync(dueTime).Within($"the code under test to start a timer due after {dueTime}");

    private async Task WaitForTimerCoreAsync(TimeSpan dueTime)
    {
        while (await created.Reader.ReadAsync() != dueTime)
        {
        }
    }
}

using System.Threading.Channels;
using Microsoft.Extensions.Time.Testing;

namespace Hearth.Scaling.Tests.Processes;

/// <summary>
/// A <see cref="FakeTimeProvider"/> that reports each timer created, so a test advances the clock only once the
/// pool has decided on its backoff, instead of racing it.
/// </summary>
internal sealed class SignallingTimeProvider : TimeProvider
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

    /// <summary>Completes once a timer due after <paramref name="dueTime"/> has been created.</summary>
    public async Task WaitForTimerAsync(TimeSpan dueTime)
    {
        while (await created.Reader.Next() != dueTime)
        {
        }
    }
}

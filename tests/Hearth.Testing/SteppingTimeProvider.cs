using Microsoft.Extensions.Time.Testing;

namespace Hearth.Testing;

/// <summary>
/// A <see cref="FakeTimeProvider"/> that knows its one-shot timers (delays, retry backoffs), so a test can move the
/// clock from one timer to the next as an event-driven simulation would: exactly to the earliest due time, never past
/// a timer that should have fired first. Periodic timers run as on a plain fake clock and are not counted.
/// </summary>
public sealed class SteppingTimeProvider : TimeProvider
{
    private readonly List<Step> _armed = [];

    /// <summary>The underlying clock.</summary>
    public FakeTimeProvider Fake { get; } = new();

    /// <summary>One-shot timers waiting to fire.</summary>
    public int Armed
    {
        get
        {
            lock (_armed)
            {
                return _armed.Count;
            }
        }
    }

    /// <inheritdoc />
    public override DateTimeOffset GetUtcNow() => Fake.GetUtcNow();

    /// <inheritdoc />
    public override long GetTimestamp() => Fake.GetTimestamp();

    /// <inheritdoc />
    public override long TimestampFrequency => Fake.TimestampFrequency;

    /// <inheritdoc />
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        if (period != Timeout.InfiniteTimeSpan || dueTime == Timeout.InfiniteTimeSpan)
        {
            return Fake.CreateTimer(callback, state, dueTime, period);
        }

        var step = new Step(this, Fake.GetUtcNow() + dueTime);
        lock (_armed)
        {
            _armed.Add(step);
        }

        step.Inner = Fake.CreateTimer(s =>
        {
            step.Disarm();
            callback(s);
        }, state, dueTime, period);
        return step;
    }

    /// <summary>Moves the clock to the earliest armed timer (which fires); false when none is armed.</summary>
    public bool AdvanceToNext()
    {
        DateTimeOffset due;
        lock (_armed)
        {
            if (_armed.Count == 0)
            {
                return false;
            }

            due = _armed.Min(s => s.Due);
        }

        var now = Fake.GetUtcNow();
        Fake.Advance(due > now ? due - now : TimeSpan.Zero);
        return true;
    }

    private sealed class Step(SteppingTimeProvider owner, DateTimeOffset due) : ITimer
    {
        public DateTimeOffset Due { get; private set; } = due;

        public ITimer Inner { get; set; } = null!;

        public void Disarm()
        {
            lock (owner._armed)
            {
                owner._armed.Remove(this);
            }
        }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            Disarm();
            if (dueTime != Timeout.InfiniteTimeSpan && period == Timeout.InfiniteTimeSpan)
            {
                Due = owner.Fake.GetUtcNow() + dueTime;
                lock (owner._armed)
                {
                    owner._armed.Add(this);
                }
            }

            return Inner.Change(dueTime, period);
        }

        public void Dispose()
        {
            Disarm();
            Inner.Dispose();
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}

using Hearth.Scaling.Processes;

namespace Hearth.Scaling.Tests.Processes;

public sealed class RestartBackoffTests
{
    [Fact]
    public void Doubles_from_one_second_and_caps_at_thirty()
    {
        var delays = Enumerable.Range(1, 8).Select(n => RestartBackoff.Delay(n, new WorkerPoolOptions()).TotalSeconds);

        Assert.Equal([1, 2, 4, 8, 16, 30, 30, 30], delays);
    }

    [Fact]
    public void Does_not_overflow_after_many_failures() =>
        Assert.Equal(TimeSpan.FromSeconds(30), RestartBackoff.Delay(int.MaxValue, new WorkerPoolOptions()));
}

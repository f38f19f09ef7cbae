using Hearth.App.Hosting;
using Microsoft.Extensions.Logging;

namespace Hearth.App.Tests.Hosting;

/// <summary>The worker role's log: one line per entry from its minimum level, with the exception named.</summary>
public sealed class LineLoggerTests
{
    [Fact]
    public void Entries_from_the_minimum_level_go_out_one_line_each()
    {
        var output = new StringWriter();
        using var loggers = new LoggerFactory([new LineLogger.Provider(LogLevel.Warning, output)],
            new LoggerFilterOptions { MinLevel = LogLevel.Warning });
        var logger = loggers.CreateLogger("Hearth.Worker");

        logger.LogInformation("not shown");
        logger.LogWarning("Taking a job failed; retrying in {Seconds} s", 2);
        logger.LogError(new InvalidOperationException("boom"), "A result was refused");

        Assert.Equal(
            [
                "warn: Hearth.Worker: Taking a job failed; retrying in 2 s",
                "fail: Hearth.Worker: A result was refused InvalidOperationException: boom",
            ],
            output.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries));
    }
}

using Microsoft.Extensions.Logging;

namespace Hearth.Worker.Tests;

/// <summary>A worker process's log: one line per entry from its minimum level, with the exception named.</summary>
public sealed class LineLoggerTests
{
    [Fact]
    public void Entries_from_the_minimum_level_go_out_one_line_each()
    {
        var output = new StringWriter();
        ILogger logger = new LineLogger<HearthWorker>(LogLevel.Warning, output);

        logger.LogInformation("not shown");
        logger.LogWarning("Taking a job failed; retrying in {Seconds} s", 2);
        logger.LogError(new InvalidOperationException("boom"), "A result was refused");

        Assert.Equal(
            [
                "warn: Hearth.Worker.HearthWorker: Taking a job failed; retrying in 2 s",
                "fail: Hearth.Worker.HearthWorker: A result was refused InvalidOperationException: boom",
            ],
            output.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries));
    }
}

using System.Diagnostics;
using Hearth.Core.Endpoints;

namespace Hearth.Core.Tests.Endpoints;

/// <summary>The exec form of <c>command</c>: the shell line it becomes passes every argument through unchanged.</summary>
public sealed class ExecCommandTests
{
    [Fact]
    public async Task Every_argument_reaches_the_program_as_written()
    {
        string[] args = ["a b", "it's", "$HOME", "`id`", "\\n", "*", "", "--flag=\"x\""];
        var line = ExecCommand.ToShell(["printf", "[%s]\\n", .. args]);

        using var sh = Process.Start(new ProcessStartInfo("/bin/sh", ["-c", line])
        {
            RedirectStandardOutput = true,
            WorkingDirectory = Path.GetTempPath(),
        })!;
        var output = await sh.StandardOutput.ReadToEndAsync();
        await sh.WaitForExitAsync();

        Assert.Equal(0, sh.ExitCode);
        Assert.Equal(args.Select(a => $"[{a}]"), output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void An_empty_list_names_what_is_missing()
    {
        var e = Assert.Throws<ArgumentException>(() => ExecCommand.ToShell([]));
        Assert.Contains("program", e.Message, StringComparison.Ordinal);
    }
}

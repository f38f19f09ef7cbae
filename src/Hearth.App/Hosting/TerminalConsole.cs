using Spectre.Console;

namespace Hearth.App.Hosting;

/// <summary>A Spectre console over a writer: colours on a terminal, plain text 160 columns wide when redirected (tests,
/// pipes).</summary>
internal static class TerminalConsole
{
    /// <summary>Width when the output is not a terminal, so tables do not wrap at 80.</summary>
    private const int RedirectedWidth = 160;

    public static IAnsiConsole Create(TextWriter output)
    {
        var terminal = ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected;
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = terminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = terminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Out = new AnsiConsoleOutput(output),
            Interactive = InteractionSupport.No,
        });
        if (!terminal)
        {
            console.Profile.Width = RedirectedWidth;
        }

        return console;
    }
}

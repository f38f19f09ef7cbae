namespace Hearth.Core.Endpoints;

/// <summary>
/// The exec form of an endpoint's <c>command</c> (<c>command: ["python3", "my worker.py"]</c>, as docker-compose and
/// Kubernetes write it): the program and its arguments exactly as listed, nothing expanded or split. Workers are
/// launched with <c>/bin/sh -c</c>, so the list becomes <c>exec 'python3' 'my worker.py'</c>: every argument
/// single-quoted (the shell reads it literally) and the shell replaced by the program, which then gets the signals
/// itself.
/// </summary>
public static class ExecCommand
{
    /// <summary>The shell line that runs <paramref name="argv"/> as is.</summary>
    /// <param name="argv">The program, then its arguments; at least one entry.</param>
    /// <returns><c>exec 'arg0' 'arg1' …</c>.</returns>
    public static string ToShell(IReadOnlyList<string> argv)
    {
        ArgumentNullException.ThrowIfNull(argv);
        if (argv.Count == 0)
        {
            throw new ArgumentException("The command needs at least the program to run.", nameof(argv));
        }

        return "exec " + string.Join(' ', argv.Select(Quote));
    }

    // Inside single quotes the shell treats every character literally except the quote itself: close the quote,
    // write an escaped quote, open again.
    private static string Quote(string arg) => "'" + arg.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}

using System.Text.RegularExpressions;
using Hearth.Soak.History;

namespace Hearth.Soak.Running;

/// <summary>
/// What <c>hearth dev</c> says about the workers it kills or loses (a runaway kill, a worker that ended holding jobs),
/// written to the history as it is printed: not faults the soak injected, but what a checker needs to say why a job's
/// grant was lost when no injected fault explains it.
/// </summary>
internal static partial class WorkerLines
{
    public static void Record(HistoryLog history, string line)
    {
        if (Killed().Match(line) is { Success: true } k)
        {
            history.Write(new HistoryEvent { Type = EventTypes.Note, Kind = "control-plane-kill", Worker = k.Groups[1].Value, Detail = line.Trim() });
        }
        else if (Ended().Match(line) is { Success: true } e)
        {
            history.Write(new HistoryEvent { Type = EventTypes.Note, Kind = "worker-ended", Worker = e.Groups[1].Value, Detail = line.Trim() });
        }
    }

    [GeneratedRegex(@"killed worker (\S+) on node")]
    private static partial Regex Killed();

    [GeneratedRegex(@"worker (\S+) ended holding \d+ job")]
    private static partial Regex Ended();
}

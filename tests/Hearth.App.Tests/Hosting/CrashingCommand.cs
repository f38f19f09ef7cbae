using System.Globalization;

namespace Hearth.App.Tests.Hosting;

/// <summary>
/// A worker command that exits at start (a missing model): it prints <see cref="Fatal"/> to stderr and exits with
/// code 3 after 0.3 s. Each run logs its start and end (ns) to a file, so a test counts overlapping runs exactly,
/// whichever host or node ran them.
/// </summary>
internal sealed class CrashingCommand
{
    public const string Fatal = "fatal: no model at /models/missing.gguf";

    private readonly string _log;
    private readonly string _script;

    public CrashingCommand(string directory)
    {
        _log = Path.Combine(directory, "starts.log");
        _script = Path.Combine(directory, "crash.sh");
        File.WriteAllText(_script, $"""
            echo "start $(date +%s%N)" >> {_log}
            echo "{Fatal}" >&2
            sleep 0.3
            echo "end $(date +%s%N)" >> {_log}
            exit 3
            """);
    }

    /// <summary>The endpoint's <c>command:</c>.</summary>
    public string Command => $"sh {_script}";

    /// <summary>Each run's start and end (a run still going ends at long.MaxValue).</summary>
    public List<(long Start, long End)> Runs()
    {
        var lines = File.Exists(_log) ? File.ReadAllLines(_log) : [];
        var starts = lines.Where(l => l.StartsWith("start ", StringComparison.Ordinal)).Select(Ns).Order().ToList();
        var ends = lines.Where(l => l.StartsWith("end ", StringComparison.Ordinal)).Select(Ns).Order().ToList();

        // Every run lasts the same 0.3 s, so matching the i-th start with the i-th end pairs each run with its own.
        return [.. starts.Select((s, i) => (s, i < ends.Count ? ends[i] : long.MaxValue))];
    }

    /// <summary>The most runs that were going at one moment.</summary>
    public int MostAtOnce()
    {
        var runs = Runs();
        return runs.Count == 0 ? 0 : runs.Max(r => runs.Count(o => o.Start <= r.Start && r.Start < o.End));
    }

    private static long Ns(string line) => long.Parse(line[(line.IndexOf(' ', StringComparison.Ordinal) + 1)..],
        CultureInfo.InvariantCulture);
}

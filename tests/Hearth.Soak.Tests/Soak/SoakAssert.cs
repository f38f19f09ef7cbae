using System.Text;
using Hearth.Soak.History;
using Hearth.Soak.Running;
using Xunit.Abstractions;

namespace Hearth.Soak.Tests.Soak;

/// <summary>What the soak tests print and how they fail: every invariant's count, and each violation with its
/// evidence, so a failing run says what broke without opening the report.</summary>
internal static class SoakAssert
{
    public static string Summary(SoakOutcome outcome)
    {
        var s = new StringBuilder();
        foreach (var i in outcome.Check.Invariants)
        {
            s.AppendLine($"{i.Name}: checked {i.Checked}, {i.Violations.Count} violation(s){(i.NotExercised is null ? "" : $" (not exercised: {i.NotExercised})")}");
            foreach (var v in i.Violations.Take(5))
            {
                s.AppendLine($"  job {v.Job}: {v.Message}");
                foreach (var e in v.Evidence)
                {
                    s.AppendLine("    " + HistoryJson.Line(e));
                }
            }
        }

        s.AppendLine($"report: {Path.Combine(outcome.Directory, "report.md")}");
        return s.ToString();
    }

    public static void Print(ITestOutputHelper output, SoakOutcome outcome) => output.WriteLine(Summary(outcome));

    public static int Acked(SoakOutcome outcome) =>
        outcome.Events.Where(e => e.Type == EventTypes.Submit && e.Job is not null && e.Http is >= 200 and < 300)
            .Select(e => e.Job).Distinct().Count();

    public static int Faults(SoakOutcome outcome, string kind) =>
        outcome.Events.Count(e => e.Type == EventTypes.Fault && e.Kind == kind);

    public static string Directory(string name) =>
        Path.Combine(SoakContext.RepoRoot(), "artifacts", "soak", name + "-" + DateTime.UtcNow.ToString("yyyyMMdd-HHmmss"));
}

/// <summary>Soak progress lines to the test output.</summary>
internal sealed class OutputWriter(ITestOutputHelper output) : TextWriter
{
    public override Encoding Encoding => Encoding.UTF8;

    public override void WriteLine(string? value) => output.WriteLine(value ?? string.Empty);

    public override Task WriteLineAsync(string? value)
    {
        WriteLine(value);
        return Task.CompletedTask;
    }
}

using System.Globalization;
using System.Text;
using Hearth.Soak.Checking;
using Hearth.Soak.History;
using Hearth.Soak.Running;

namespace Hearth.Soak.Reporting;

/// <summary>report.md: the run's settings, jobs by kind and outcome, faults by kind, each invariant with its
/// violations and their evidence, and throughput and latency.</summary>
internal static class ReportWriter
{
    private const int ExamplesPerInvariant = 5;

    public static string Write(string name, SoakOptions options, IReadOnlyList<HistoryEvent> events, CheckResult check,
        IReadOnlyDictionary<string, int> faults, LoadFigures figures, TimeSpan wall)
    {
        var r = new StringBuilder();
        var ci = CultureInfo.InvariantCulture;
        r.AppendLine(ci, $"# Soak report: {name}").AppendLine();
        r.AppendLine(ci, $"{(check.ViolationCount == 0 ? "**PASS**" : $"**FAIL: {check.ViolationCount} violation(s)**")} — "
            + $"seed {options.Seed}, {options.Jobs} jobs over {options.Minutes} min, lease {options.LeaseMs} ms, "
            + $"{options.Workers} workers × {options.Concurrency} + 1 stream worker, a fault every ~{options.FaultEverySeconds} s; "
            + $"wall time {wall.TotalSeconds:0} s.").AppendLine();
        foreach (var note in events.Where(e => e.Type == EventTypes.Note && e.Kind != "settings"))
        {
            r.AppendLine(ci, $"> note ({note.Kind}): {note.Detail}").AppendLine();
        }

        Jobs(r, events);
        r.AppendLine("## Faults injected").AppendLine().AppendLine("| fault | count |").AppendLine("|---|---:|");
        foreach (var (kind, count) in faults.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            r.AppendLine(ci, $"| {kind} | {count} |");
        }

        r.AppendLine(ci, $"| (connections the proxy cut) | {figures.ProxyResets} |").AppendLine();
        Invariants(r, check);
        Outcomes.Write(r, events);
        Figures(r, events, figures);
        return r.ToString();
    }

    private static void Jobs(StringBuilder r, IReadOnlyList<HistoryEvent> events)
    {
        var acked = events.Where(e => e.Type == EventTypes.Submit && e.Job is not null && e.Http is >= 200 and < 300)
            .GroupBy(e => e.Job!).Select(g => g.First()).ToList();
        var finals = events.Where(e => e.Type == EventTypes.Status && e.Http == 200 && e.Job is not null
                && e.Status is "COMPLETED" or "FAILED" or "CANCELLED" or "TIMED_OUT")
            .GroupBy(e => e.Job!).ToDictionary(g => g.Key, g => g.First().Status!, StringComparer.Ordinal);
        var statuses = new[] { "COMPLETED", "FAILED", "CANCELLED", "TIMED_OUT" };
        r.AppendLine("## Jobs by kind").AppendLine()
            .AppendLine("| kind | acknowledged | " + string.Join(" | ", statuses) + " | never final |")
            .AppendLine("|---|---:|" + string.Concat(statuses.Select(_ => "---:|")) + "---:|");
        foreach (var kind in acked.GroupBy(a => a.Kind ?? "?").OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var counts = statuses.Select(s => kind.Count(a => finals.GetValueOrDefault(a.Job!) == s));
            r.AppendLine(CultureInfo.InvariantCulture, $"| {kind.Key} | {kind.Count()} | {string.Join(" | ", counts)} | {kind.Count(a => !finals.ContainsKey(a.Job!))} |");
        }

        var submitted = events.Where(e => e.Type == EventTypes.Submit).Select(e => e.Seq).Distinct().Count();
        var all = string.Join(" | ", statuses.Select(s => finals.Values.Count(v => v == s)));
        var never = acked.Count(a => !finals.ContainsKey(a.Job!));
        r.AppendLine(CultureInfo.InvariantCulture, $"| **all** | {acked.Count} | {all} | {never} |").AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"{submitted} jobs submitted; {submitted - acked.Count} never acknowledged (refused or unanswered after retries: the client was never told they exist).")
            .AppendLine();
    }

    private static void Invariants(StringBuilder r, CheckResult check)
    {
        r.AppendLine("## Invariants").AppendLine().AppendLine("| invariant | promise | checked | violations |").AppendLine("|---|---|---:|---:|");
        foreach (var i in check.Invariants)
        {
            var verdict = i.NotExercised is not null && i.Holds ? $"0 (not exercised: {i.NotExercised})" : i.Violations.Count.ToString(CultureInfo.InvariantCulture);
            r.AppendLine(CultureInfo.InvariantCulture, $"| {i.Name} | {i.Description} | {i.Checked} | {verdict} |");
        }

        r.AppendLine();
        foreach (var i in check.Invariants.Where(i => !i.Holds))
        {
            r.AppendLine(CultureInfo.InvariantCulture, $"### {i.Name}: {i.Violations.Count} violation(s)").AppendLine();
            foreach (var v in i.Violations.Take(ExamplesPerInvariant))
            {
                r.AppendLine(CultureInfo.InvariantCulture, $"- job `{v.Job ?? "-"}`: {v.Message}").AppendLine("  ```");
                foreach (var e in v.Evidence)
                {
                    r.AppendLine("  " + HistoryJson.Line(e));
                }

                r.AppendLine("  ```");
            }

            r.AppendLine();
        }
    }

    private static void Figures(StringBuilder r, IReadOnlyList<HistoryEvent> events, LoadFigures figures)
    {
        var submits = events.Where(e => e.Type == EventTypes.Submit && e.Job is not null && e.Http is >= 200 and < 300 && e.T0 is not null)
            .GroupBy(e => e.Job!).Select(g => g.First()).ToDictionary(e => e.Job!, StringComparer.Ordinal);
        var ackMs = submits.Values.Select(e => (double)(e.T - e.T0!.Value)).ToList();
        var firstFinal = events.Where(e => e.Type == EventTypes.Status && e.Http == 200 && e.Status is "COMPLETED" && e.Job is not null)
            .GroupBy(e => e.Job!).Select(g => g.First()).ToList();
        var normal = firstFinal.Where(f => submits.TryGetValue(f.Job!, out var s) && s.Kind == "normal")
            .Select(f => (double)(f.T - submits[f.Job!].T)).ToList();
        var delays = events.Where(e => e.Type == EventTypes.Status && e.Status == "COMPLETED" && e.DelayMs is not null)
            .GroupBy(e => e.Job!).Select(g => (double)g.First().DelayMs!.Value).ToList();
        var ci = CultureInfo.InvariantCulture;
        r.AppendLine("## Throughput and latency").AppendLine()
            .AppendLine(ci, $"- load: {figures.Submitted} submitted in {figures.LoadSeconds:0} s = {figures.Submitted / Math.Max(1, figures.LoadSeconds):0.0} jobs/s; "
                + $"{firstFinal.Count} seen COMPLETED")
            .AppendLine(ci, $"- /run acknowledgement: p50 {P(ackMs, 50)} ms, p99 {P(ackMs, 99)} ms, max {P(ackMs, 100)} ms")
            .AppendLine(ci, $"- queue time (delayTime of completed jobs): p50 {P(delays, 50)} ms, p99 {P(delays, 99)} ms, max {P(delays, 100)} ms")
            .AppendLine(ci, $"- normal job, acknowledged to seen COMPLETED by its client (status long poll): p50 {P(normal, 50)} ms, p99 {P(normal, 99)} ms")
            .AppendLine(ci, $"- history: {events.Count} events").AppendLine();
    }

    private static string P(List<double> values, int percentile)
    {
        if (values.Count == 0)
        {
            return "-";
        }

        values.Sort();
        var i = (int)Math.Ceiling(percentile / 100.0 * values.Count) - 1;
        return values[Math.Clamp(i, 0, values.Count - 1)].ToString("0", CultureInfo.InvariantCulture);
    }
}

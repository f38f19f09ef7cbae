using System.Text.Json;
using Hearth.App.Hosting;
using Hearth.Client;
using ResearchAgent.Web;
using Spectre.Console;

namespace ResearchAgent.Demo;

/// <summary>
/// The demo's terminal: a live Spectre.Console table of the pipeline's steps on a terminal, one line per change when
/// the output is redirected (CI logs, tests); then the answer, its sources and the per-step timing table.
/// </summary>
internal sealed class DemoView(DemoOptions options)
{
    private readonly bool _live = !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive;
    private readonly List<string> _events = [];
    private readonly Dictionary<string, string> _printed = new(StringComparer.Ordinal);

    public void Header(DevRuntime runtime, OfflineWeb web)
    {
        AnsiConsole.MarkupLine($"[bold]Hearth research agent[/] — the seed article's pipeline on Hearth's dev runtime");
        AnsiConsole.MarkupLine($"  runtime:     {runtime.Address}   store: {Markup.Escape(runtime.StoreDescription)}");
        AnsiConsole.MarkupLine($"  offline web: {web.Address} ({OfflineWeb.Pages(OfflineWeb.Root).Count()} pages; {OfflineWeb.SlowPage} hangs {OfflineWeb.SlowDelay.TotalSeconds:0} s)");
        if (runtime.GpuNotice is { } notice)
        {
            AnsiConsole.MarkupLine($"  [yellow]{Markup.Escape(notice)}[/]");
        }

        AnsiConsole.MarkupLine($"  question:    [bold]{Markup.Escape(options.Question)}[/]{(options.Chaos ? "   [red](--chaos)[/]" : string.Empty)}");
    }

    /// <summary>Shows workers starting and becoming ready until <paramref name="ready"/> completes.</summary>
    public async Task WarmingAsync(Task ready, LineLog log, CancellationToken cancellationToken)
    {
        var shown = 0;
        void Flush()
        {
            var lines = log.Lines;
            for (; shown < lines.Count; shown++)
            {
                if (lines[shown].Contains("starting worker", StringComparison.Ordinal) || lines[shown].Contains(" ready", StringComparison.Ordinal))
                {
                    AnsiConsole.MarkupLine($"[grey]{Markup.Escape(lines[shown])}[/]");
                }
            }
        }

        while (!ready.IsCompleted)
        {
            Flush();
            await Task.WhenAny(ready, Task.Delay(TimeSpan.FromMilliseconds(200), TimeProvider.System, cancellationToken)).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
        }

        await ready.ConfigureAwait(false);
        Flush();
    }

    public void Event(string text)
    {
        lock (_events)
        {
            _events.Add(text);
        }

        if (!_live)
        {
            AnsiConsole.MarkupLine($"  [red]{Markup.Escape(text)}[/]");
        }
    }

    /// <summary>Polls until the job is final, showing its progress; returns the final status.</summary>
    public async Task<JobResult<JsonElement>> FollowAsync(Func<Task<(JobResult<JsonElement> Status, ResearchProgress? Progress)>> poll, TimeSpan interval, TimeProvider time, CancellationToken cancellationToken)
    {
        JobResult<JsonElement>? final = null;
        async Task Loop(Action<ResearchProgress?> show)
        {
            while (true)
            {
                var (status, progress) = await poll().ConfigureAwait(false);
                show(progress);
                if (status.IsFinal)
                {
                    final = status;
                    return;
                }

                await Task.Delay(interval, time, cancellationToken).ConfigureAwait(false);
            }
        }

        if (_live)
        {
            ResearchProgress? last = null;
            await AnsiConsole.Live(Render(null)).StartAsync(async ctx => await Loop(p =>
            {
                last = p ?? last;
                ctx.UpdateTarget(Render(last));
                ctx.Refresh();
            }).ConfigureAwait(false)).ConfigureAwait(false);
        }
        else
        {
            await Loop(Print).ConfigureAwait(false);
        }

        return final!;
    }

    private Table Render(ResearchProgress? progress)
    {
        var table = new Table().Border(TableBorder.Rounded).Title(progress is null ? "[grey]waiting for a worker…[/]" : $"agent-orchestrator · worker {Markup.Escape(progress.Worker)} · attempt {progress.Attempt}")
            .AddColumn("step").AddColumn("state").AddColumn(new TableColumn("ms").RightAligned()).AddColumn("note");
        foreach (var s in progress?.Steps ?? [])
        {
            var state = s.State switch { "running" => "[yellow]running…[/]", "replayed" => "[blue]replayed[/]", _ => "[green]done[/]" };
            table.AddRow(Markup.Escape(s.Name), state, s.State == "running" ? string.Empty : s.Ms.ToString(System.Globalization.CultureInfo.InvariantCulture), Markup.Escape(s.Note ?? string.Empty));
        }

        lock (_events)
        {
            if (_events.Count > 0)
            {
                table.Caption($"[red]{Markup.Escape(string.Join("\n", _events))}[/]");
            }
        }

        return table;
    }

    private void Print(ResearchProgress? progress)
    {
        foreach (var s in progress?.Steps ?? [])
        {
            var key = $"{progress!.Attempt}:{s.Name}";
            var line = s.State == "running" ? $"  attempt {progress.Attempt}  {s.Name,-18} running…  {s.Note}" : $"  attempt {progress.Attempt}  {s.Name,-18} {s.State,-8}  {s.Ms,6} ms  {s.Note}";
            if (_printed.GetValueOrDefault(key) != line)
            {
                _printed[key] = line;
                AnsiConsole.WriteLine(line.TrimEnd());
            }
        }
    }

    public void Failure(string status, string? error) =>
        AnsiConsole.MarkupLine($"[red]The research job ended {Markup.Escape(status)}:[/] {Markup.Escape(error ?? "(no error text)")}");

    public void Answer(DemoReport report, string adminKey)
    {
        var a = report.Answer;
        AnsiConsole.WriteLine();
        AnsiConsole.MarkupLine($"[bold]mode:[/] {Markup.Escape(a.Mode)}");
        AnsiConsole.MarkupLine($"[bold]sub-queries:[/] {Markup.Escape(string.Join(" | ", a.SubQueries))}");
        AnsiConsole.WriteLine();
        AnsiConsole.Write(new Panel(Markup.Escape(a.Answer)).Header("answer").Border(BoxBorder.Rounded));
        AnsiConsole.MarkupLine("[bold]sources[/]");
        foreach (var s in a.Sources)
        {
            AnsiConsole.MarkupLine($"  [[{s.N}]] {(s.Kind == "kb" ? "kb " : "web")}  {Markup.Escape(s.Title)} — {Markup.Escape(s.Source)}");
        }

        var steps = new Table().Border(TableBorder.Rounded).Title("steps (attempt " + a.Attempt + (a.Rehydrated ? $", rehydrated: {a.ReplayedSteps} replayed from the journal" : string.Empty) + ")")
            .AddColumn("step").AddColumn("state").AddColumn(new TableColumn("ms").RightAligned()).AddColumn("note");
        foreach (var s in a.Steps)
        {
            steps.AddRow(Markup.Escape(s.Name), s.State, s.Ms.ToString(System.Globalization.CultureInfo.InvariantCulture), Markup.Escape(s.Note ?? string.Empty));
        }

        AnsiConsole.Write(steps);
        foreach (var note in a.Notes)
        {
            AnsiConsole.MarkupLine($"  [yellow]note:[/] {Markup.Escape(note)}");
        }

        if (report.KilledWorker is { } killed)
        {
            AnsiConsole.MarkupLine($"  [red]chaos:[/] killed {Markup.Escape(killed)} during synthesis; attempt {a.Attempt} replayed {a.ReplayedSteps} steps from the journal");
        }

        AnsiConsole.MarkupLine($"wall time: {report.TotalSeconds:0.0} s (job queued at {report.SubmittedSeconds:0.0} s, every worker ready at {report.ReadySeconds:0.0} s, job {report.PipelineSeconds:0.0} s from queued to answered)");
        AnsiConsole.MarkupLine($"dashboard: {report.Address}/  (job {Markup.Escape(report.JobId)}; admin key {Markup.Escape(adminKey)}; run with --stay to keep it up and get a sign-in link)");
    }
}

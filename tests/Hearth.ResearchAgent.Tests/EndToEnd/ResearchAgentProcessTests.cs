using System.Globalization;
using System.Text.RegularExpressions;

namespace Hearth.ResearchAgent.Tests.EndToEnd;

/// <summary>The default question's run, shared: the chaos test compares its answer with this one.</summary>
public sealed class DefaultQuestionRun
{
    private readonly Lazy<Task<SampleRun>> _run = new(() => SampleRun.RunAsync(DefaultQuestion));

    public const string DefaultQuestion = "How do I stop agent jobs from pinning GPUs forever?";

    internal Task<SampleRun> Run => _run.Value;
}

/// <summary>The sample end to end in extractive mode, as `dotnet run --project samples/ResearchAgent -- "question"` runs it.</summary>
public sealed class ResearchAgentProcessTests(DefaultQuestionRun defaultRun) : IClassFixture<DefaultQuestionRun>
{
    [Fact]
    public async Task The_default_question_is_answered_from_the_web_and_the_docs_and_the_slow_page_times_out()
    {
        var run = await defaultRun.Run;

        Assert.Equal("extractive (no LLM configured)", run.Answer.GetProperty("mode").GetString());
        AssertCites(run, web: "gpunotes/runaway-jobs.html", kb: "docs/sessions.md");
        Assert.Contains(run.Answer.GetProperty("notes").EnumerateArray(), n => n.GetString()!.Contains("forum/megathread.html: timeout", StringComparison.Ordinal));
        Assert.Equal(3, run.Executions.Count(e => e.StartsWith("web-retrieval ", StringComparison.Ordinal)));
        Assert.Equal(1, run.Executions.Count(e => e == "embedding-search"));
        Assert.Contains("mode: extractive (no LLM configured)", run.Output, StringComparison.Ordinal);

        // Queued as soon as the control plane listened, before every worker was ready: the printed trace shows the
        // orchestrator's cold start as the job's queue wait.
        var submitted = run.Report.GetProperty("submittedSeconds").GetDouble();
        var ready = run.Report.GetProperty("readySeconds").GetDouble();
        Assert.True(submitted < ready, $"job queued at {submitted:0.00} s, workers ready at {ready:0.00} s");
        var wait = Regex.Match(run.Output, @"queue\.wait\D+\+\d+ ms\D+([\d.]+) ms");
        Assert.True(wait.Success, "no queue.wait row in the printed trace:\n" + run.Output);
        Assert.True(double.Parse(wait.Groups[1].Value, CultureInfo.InvariantCulture) >= 100,
            $"queue wait {wait.Groups[1].Value} ms does not cover a worker's cold start");
    }

    [Fact]
    public async Task A_memory_question_cites_the_kv_cache_pages_and_the_gpu_docs()
    {
        var run = await SampleRun.RunAsync("Why do long agent sessions run out of GPU memory halfway through?");

        AssertCites(run, web: "forum/oom-mid-session.html", kb: "docs/gpus.md");
        Assert.Contains(run.Sources, s => s.Source.EndsWith("gpunotes/vram-sizing.html", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Chaos_kills_the_orchestrator_during_synthesis_and_the_rehydrated_run_gives_the_same_answer_without_retrieving_again()
    {
        var calm = await defaultRun.Run;
        var chaos = await SampleRun.RunAsync(DefaultQuestionRun.DefaultQuestion, "--chaos");

        Assert.StartsWith("agent-orchestrator-", chaos.Report.GetProperty("killedWorker").GetString());
        Assert.True(chaos.Answer.GetProperty("attempt").GetInt32() >= 2);
        Assert.True(chaos.Answer.GetProperty("rehydrated").GetBoolean());
        Assert.Equal(calm.Answer.GetProperty("answer").GetString(), chaos.Answer.GetProperty("answer").GetString());
        var replayed = chaos.Answer.GetProperty("steps").EnumerateArray().Where(s => s.GetProperty("state").GetString() == "replayed").Select(s => s.GetProperty("name").GetString()).ToList();
        Assert.Equal(["decompose", "web-retrieval-1", "web-retrieval-2", "web-retrieval-3", "embedding-search"], replayed);
        Assert.Equal(3, chaos.Executions.Count(e => e.StartsWith("web-retrieval ", StringComparison.Ordinal))); // retrieval ran once
        Assert.Equal(1, chaos.Executions.Count(e => e == "embedding-search"));
    }

    private static void AssertCites(SampleRun run, string web, string kb)
    {
        Assert.True(run.Sources.Count >= 3, string.Join(", ", run.Sources));
        Assert.Contains(run.Sources, s => s.Kind == "web" && s.Source.EndsWith(web, StringComparison.Ordinal));
        Assert.Contains(run.Sources, s => s.Kind == "kb" && s.Source == kb);
        Assert.Matches(@"\[1\]", run.Answer.GetProperty("answer").GetString()!);
    }
}

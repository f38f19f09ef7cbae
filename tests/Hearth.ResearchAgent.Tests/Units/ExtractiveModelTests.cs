using System.Text.RegularExpressions;
using ResearchAgent;
using ResearchAgent.Orchestration;

namespace Hearth.ResearchAgent.Tests.Units;

public sealed partial class ExtractiveModelTests
{
    private const string Question = "How do I stop agent jobs from pinning GPUs forever?";

    private static readonly SourceChunk[] Evidence =
    [
        new("http://web/runaway.html", "Runaway jobs", "web", "Set an execution timeout on every endpoint so a runaway agent job cannot hold its GPU forever. A worker that ignores the stop signal is killed and replaced by the platform.", 3),
        new("http://web/bread.html", "Bread", "web", "Bake the sourdough loaf for forty minutes at a high temperature until the crust is dark.", 1),
        new("http://web/calls.html", "Fan-out calls", "web", "Give every tool call its own timeout so one stuck tool call fails alone and the agent carries on without it.", 2),
        new("docs/sessions.md", "sessions.md § Guards", "kb", "Every job also has its execution timeout, and a worker that keeps running a timed-out job is killed and replaced.", 0.6),
    ];

    [Fact]
    public void Decomposition_gives_three_sub_queries_widened_with_the_fields_vocabulary()
    {
        var subQueries = Decomposition.Decompose(Question);

        Assert.Equal(3, subQueries.Count);
        Assert.All(subQueries, q => Assert.Contains("timeout", q, StringComparison.Ordinal));
        Assert.Throws<ArgumentException>(() => Decomposition.Decompose("how do I?"));
    }

    [Fact]
    public async Task Synthesis_cites_every_sentence_prefers_relevant_ones_and_critique_accepts_it()
    {
        var model = new ExtractiveModel();
        var subQueries = Decomposition.Decompose(Question);

        var draft = await model.SynthesizeAsync(Question, subQueries, Evidence);

        Assert.All(Sentence().Matches(draft.Answer), m => Assert.Matches(@"\[\d+\]$", m.Value.Trim()));
        Assert.Equal(Enumerable.Range(1, draft.Sources.Count), draft.Sources.Select(s => s.N));
        Assert.Contains(draft.Sources, s => s.Kind == "kb");
        Assert.Contains(draft.Sources, s => s.Source == "http://web/runaway.html");
        Assert.Empty(await model.CritiqueAsync(Question, subQueries, draft, Evidence));
    }

    [Fact]
    public async Task Critique_flags_a_missing_knowledge_base_and_the_revision_adds_it()
    {
        var model = new ExtractiveModel();
        var subQueries = Decomposition.Decompose(Question);
        var webOnly = new Draft("Set an execution timeout on every endpoint so a runaway agent job cannot hold its GPU forever. [1]",
            [new Citation(1, "http://web/runaway.html", "Runaway jobs", "web")],
            [new Claim("Set an execution timeout on every endpoint so a runaway agent job cannot hold its GPU forever.", "http://web/runaway.html", "Runaway jobs", "web", 0)]);

        var problems = await model.CritiqueAsync(Question, subQueries, webOnly, Evidence);
        var revised = await model.ReviseAsync(Question, subQueries, webOnly, problems, Evidence);

        Assert.Contains("the knowledge base (docs/) is not cited", problems);
        Assert.Contains(revised.Sources, s => s.Source == "docs/sessions.md");
        Assert.Empty(await model.CritiqueAsync(Question, subQueries, revised, Evidence));
    }

    [GeneratedRegex(@"[^\]]+\]")]
    private static partial Regex Sentence();
}

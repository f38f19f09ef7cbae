using ResearchAgent.Knowledge;

namespace ResearchAgent.Orchestration;

/// <summary>
/// The mode that needs no language model: decomposition by query analysis; synthesis by picking the most relevant
/// sentences of the evidence (MiniLM similarity to the question and sub-queries, with diversity: maximal marginal
/// relevance) and ordering them by the sub-query they answer, each cited; critique by checking that every sub-query
/// is covered, both the web and the knowledge base are used, and every sentence is cited.
/// </summary>
internal sealed class ExtractiveModel : IResearchModel
{
    /// <summary>Sentences in a first answer.</summary>
    public const int AnswerSentences = 6;

    /// <summary>Similarity a sentence needs to a sub-query to count as covering it.</summary>
    public const double CoverageThreshold = 0.35;

    /// <summary>Penalty for a second sentence from a source already quoted: an answer should draw on several sources.</summary>
    private const double SameSourcePenalty = 0.1;

    /// <summary>Relevance against redundancy in maximal marginal relevance (1 = relevance only).</summary>
    private const double Lambda = 0.7;

    public string Mode => "extractive (no LLM configured)";

    public Task<IReadOnlyList<string>> DecomposeAsync(string question, CancellationToken cancellationToken = default) =>
        Task.FromResult(Decomposition.Decompose(question));

    public Task<Draft> SynthesizeAsync(string question, IReadOnlyList<string> subQueries, IReadOnlyList<SourceChunk> evidence, CancellationToken cancellationToken = default)
    {
        var pool = Candidates.Build(question, subQueries, evidence, cancellationToken);
        var chosen = new List<int>();
        while (chosen.Count < AnswerSentences && chosen.Count < pool.Count)
        {
            var next = Enumerable.Range(0, pool.Count).Where(i => !chosen.Contains(i))
                .MaxBy(i => Lambda * pool[i].Relevance - (1 - Lambda) * chosen.Select(j => Embedder.Similarity(pool[i].Vector, pool[j].Vector)).DefaultIfEmpty(0).Max()
                    - (chosen.Any(j => pool[j].Chunk.Source == pool[i].Chunk.Source) ? SameSourcePenalty : 0));
            chosen.Add(next);
        }

        return Task.FromResult(Compose([.. chosen.Select(i => pool[i])]));
    }

    public Task<IReadOnlyList<string>> CritiqueAsync(string question, IReadOnlyList<string> subQueries, Draft draft, IReadOnlyList<SourceChunk> evidence, CancellationToken cancellationToken = default)
    {
        var problems = new List<string>();
        if (draft.Claims.Count == 0)
        {
            problems.Add("the answer has no sentences: the evidence was empty");
            return Task.FromResult<IReadOnlyList<string>>(problems);
        }

        var claims = Embedder.Shared.Embed([.. draft.Claims.Select(c => c.Text)], cancellationToken);
        var queries = Embedder.Shared.Embed(subQueries, cancellationToken);
        for (var q = 0; q < queries.Length; q++)
        {
            var best = claims.Max(c => Embedder.Similarity(c, queries[q]));
            if (best < CoverageThreshold)
            {
                problems.Add($"sub-query {q + 1} \"{subQueries[q]}\" is not covered (best similarity {best:0.00})");
            }
        }

        foreach (var kind in new[] { "web", "kb" })
        {
            if (draft.Claims.All(c => c.Kind != kind) && evidence.Any(e => e.Kind == kind))
            {
                problems.Add(kind == "web" ? "no web source is cited" : "the knowledge base (docs/) is not cited");
            }
        }

        problems.AddRange(draft.Claims.Where(c => draft.Sources.All(s => s.Source != c.Source)).Select(c => $"uncited claim: {c.Text}"));
        return Task.FromResult<IReadOnlyList<string>>(problems);
    }

    public Task<Draft> ReviseAsync(string question, IReadOnlyList<string> subQueries, Draft draft, IReadOnlyList<string> problems, IReadOnlyList<SourceChunk> evidence, CancellationToken cancellationToken = default)
    {
        var pool = Candidates.Build(question, subQueries, evidence, cancellationToken);
        var kept = pool.Where(c => draft.Claims.Any(d => d.Text == c.Text)).ToList();
        void Add(Candidate? c)
        {
            if (c is not null && !kept.Contains(c))
            {
                kept.Add(c);
            }
        }

        var queries = Embedder.Shared.Embed(subQueries, cancellationToken);
        for (var q = 0; q < queries.Length; q++)
        {
            if (!kept.Any(c => Embedder.Similarity(c.Vector, queries[q]) >= CoverageThreshold))
            {
                Add(pool.Where(c => !kept.Contains(c)).MaxBy(c => Embedder.Similarity(c.Vector, queries[q])));
            }
        }

        foreach (var kind in new[] { "web", "kb" })
        {
            if (kept.All(c => c.Chunk.Kind != kind))
            {
                Add(pool.Where(c => c.Chunk.Kind == kind).MaxBy(c => c.Relevance));
            }
        }

        return Task.FromResult(Compose(kept));
    }

    /// <summary>The answer: sentences grouped by the sub-query they answer (in sub-query order), best first, each followed by its source's number.</summary>
    private static Draft Compose(IReadOnlyList<Candidate> chosen)
    {
        var ordered = chosen.OrderBy(c => c.SubQuery).ThenByDescending(c => c.Relevance).ToList();
        var sources = new List<Citation>();
        var paragraphs = new List<string>();
        foreach (var group in ordered.GroupBy(c => c.SubQuery))
        {
            var sentences = new List<string>();
            foreach (var c in group)
            {
                var citation = sources.FirstOrDefault(s => s.Source == c.Chunk.Source);
                if (citation is null)
                {
                    citation = new Citation(sources.Count + 1, c.Chunk.Source, c.Chunk.Title, c.Chunk.Kind);
                    sources.Add(citation);
                }

                sentences.Add($"{c.Text} [{citation.N}]");
            }

            paragraphs.Add(string.Join(' ', sentences));
        }

        return new Draft(string.Join("\n\n", paragraphs), sources, [.. ordered.Select(c => new Claim(c.Text, c.Chunk.Source, c.Chunk.Title, c.Chunk.Kind, c.SubQuery))]);
    }
}

using ResearchAgent.Knowledge;
using ResearchAgent.Text;

namespace ResearchAgent.Orchestration;

/// <summary>A sentence of the evidence that could go into an extractive answer, with its embedding and relevance.</summary>
internal sealed record Candidate(string Text, SourceChunk Chunk, float[] Vector, double Relevance, int SubQuery);

/// <summary>Turns evidence chunks into candidate sentences scored against the question and its sub-queries.</summary>
internal static class Candidates
{
    /// <summary>Sentences shorter than this read as fragments.</summary>
    private const int MinWords = 8;

    /// <summary>Sentences longer than this read as walls of text.</summary>
    private const int MaxWords = 60;

    /// <summary>Weight of the question itself in a sentence's relevance; the rest goes to its closest sub-query, whose
    /// widened vocabulary ("pinning GPUs forever" → runaway, timeout) finds the sentences that answer rather than echo.</summary>
    private const double QuestionWeight = 0.3;

    /// <summary>Weight of the retrieval's own ranking (the chunk's score relative to the best of its kind): what the search engine and the index ranked first counts too.</summary>
    private const double RetrievalWeight = 0.2;

    /// <summary>Relevance = 0.3 × similarity to the question + 0.7 × similarity to the closest sub-query + 0.2 × the chunk's relative retrieval score; deterministic order (evidence order) for ties.</summary>
    public static IReadOnlyList<Candidate> Build(string question, IReadOnlyList<string> subQueries, IReadOnlyList<SourceChunk> evidence, CancellationToken cancellationToken)
    {
        var sentences = evidence
            .SelectMany(chunk => Chunker.Sentences(chunk.Text).Select(s => (Text: Clean(s), Chunk: chunk)))
            .Where(s => s.Text.Split(' ').Length is >= MinWords and <= MaxWords && !s.Text.Contains('|') && !s.Text.EndsWith(':'))
            .DistinctBy(s => s.Text)
            .ToList();
        var vectors = Embedder.Shared.Embed([question, .. subQueries, .. sentences.Select(s => s.Text)], cancellationToken);
        var q = vectors[0];
        var best = evidence.GroupBy(e => e.Kind).ToDictionary(g => g.Key, g => Math.Max(g.Max(e => e.Score), double.Epsilon));
        var subs = vectors[1..(1 + subQueries.Count)];
        return [.. sentences.Select((s, i) =>
        {
            var v = vectors[1 + subQueries.Count + i];
            var toSubs = subs.Select(x => Embedder.Similarity(v, x)).ToList();
            var closest = toSubs.IndexOf(toSubs.Max());
            var relevance = QuestionWeight * Embedder.Similarity(v, q) + (1 - QuestionWeight) * toSubs[closest] + RetrievalWeight * s.Chunk.Score / best[s.Chunk.Kind];
            return new Candidate(s.Text, s.Chunk, v, relevance, closest);
        })];
    }

    /// <summary>Drops a leading label ("Reply: ", "Prevents: ") so a sentence stands on its own.</summary>
    private static string Clean(string sentence)
    {
        var colon = sentence.IndexOf(": ", StringComparison.Ordinal);
        if (colon is > 0 and < 12 && sentence[..colon].All(char.IsLetter) && colon + 3 < sentence.Length)
        {
            sentence = char.ToUpperInvariant(sentence[colon + 2]) + sentence[(colon + 3)..];
        }

        return sentence;
    }
}

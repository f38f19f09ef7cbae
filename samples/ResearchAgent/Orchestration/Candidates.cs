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

    /// <summary>Relevance = half similarity to the question, half to the closest sub-query; deterministic order (evidence order) for ties.</summary>
    public static IReadOnlyList<Candidate> Build(string question, IReadOnlyList<string> subQueries, IReadOnlyList<SourceChunk> evidence, CancellationToken cancellationToken)
    {
        var sentences = evidence
            .SelectMany(chunk => Chunker.Sentences(chunk.Text).Select(s => (Text: Clean(s), Chunk: chunk)))
            .Where(s => s.Text.Split(' ').Length is >= MinWords and <= MaxWords && !s.Text.Contains('|') && !s.Text.EndsWith(':'))
            .DistinctBy(s => s.Text)
            .ToList();
        var vectors = Embedder.Shared.Embed([question, .. subQueries, .. sentences.Select(s => s.Text)], cancellationToken);
        var q = vectors[0];
        var subs = vectors[1..(1 + subQueries.Count)];
        return [.. sentences.Select((s, i) =>
        {
            var v = vectors[1 + subQueries.Count + i];
            var toSubs = subs.Select(x => Embedder.Similarity(v, x)).ToList();
            var best = toSubs.IndexOf(toSubs.Max());
            return new Candidate(s.Text, s.Chunk, v, 0.5 * Embedder.Similarity(v, q) + 0.5 * toSubs[best], best);
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

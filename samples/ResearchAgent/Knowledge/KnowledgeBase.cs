namespace ResearchAgent.Knowledge;

/// <summary>
/// The internal knowledge base: Hearth's own <c>docs/*.md</c> (copied next to the app as <c>kb/</c>), chunked and
/// embedded once when the embedding-search worker starts; searched by cosine similarity.
/// </summary>
internal sealed class KnowledgeBase
{
    private readonly List<(SourceChunk Chunk, float[] Vector)> _chunks;

    private KnowledgeBase(List<(SourceChunk, float[])> chunks, TimeSpan took)
    {
        _chunks = chunks;
        IndexTime = took;
    }

    /// <summary>Where the documents are.</summary>
    public static string Root => Path.Combine(AppContext.BaseDirectory, "kb");

    /// <summary>Chunks indexed.</summary>
    public int Count => _chunks.Count;

    /// <summary>How long loading the model and embedding the chunks took.</summary>
    public TimeSpan IndexTime { get; }

    /// <summary>Reads, chunks and embeds every document under <paramref name="root"/>.</summary>
    public static KnowledgeBase Build(string root, TimeProvider time, CancellationToken cancellationToken = default)
    {
        if (!Directory.Exists(root))
        {
            throw new DirectoryNotFoundException($"The knowledge base folder {root} does not exist. Fix: build the sample (it copies docs/*.md to kb/ in its output).");
        }

        var started = time.GetTimestamp();
        var chunks = Directory.EnumerateFiles(root, "*.md").Order(StringComparer.Ordinal)
            .SelectMany(file => MarkdownChunks.Split(File.ReadAllText(file)).Select(c =>
                new SourceChunk("docs/" + Path.GetFileName(file), c.Heading.Length > 0 ? $"{Path.GetFileName(file)} § {c.Heading}" : Path.GetFileName(file), "kb", c.Text, 0)))
            .Where(c => c.Text.Split(' ').Length >= 8)
            .ToList();
        var cache = EmbeddingCache.For(Embedder.ModelName, Environment.GetEnvironmentVariable);
        var embedder = Embedder.Shared; // loaded now, for the first query, even when every chunk is cached
        var vectors = cache.Embed([.. chunks.Select(c => c.Title + ". " + c.Text)],
            texts => embedder.Embed(texts, cancellationToken));
        return new KnowledgeBase([.. chunks.Zip(vectors)], time.GetElapsedTime(started));
    }

    /// <summary>The best <paramref name="k"/> chunks for each query, merged (a chunk found by several queries keeps its best score), best first.</summary>
    public IReadOnlyList<SourceChunk> Search(IReadOnlyList<string> queries, int k, CancellationToken cancellationToken = default)
    {
        var vectors = Embedder.Shared.Embed(queries, cancellationToken);
        return [.. vectors
            .SelectMany(q => _chunks.Select((c, i) => (Index: i, Score: Embedder.Similarity(q, c.Vector))).OrderByDescending(s => s.Score).Take(k))
            .GroupBy(s => s.Index)
            .Select(g => _chunks[g.Key].Chunk with { Score = Math.Round(g.Max(s => s.Score), 3) })
            .OrderByDescending(c => c.Score)];
    }
}

using Hearth.Worker;

namespace ResearchAgent.Knowledge;

/// <summary>The embedding-search endpoint (GPU in production; CPU here): top-k knowledge-base chunks per query with scores.</summary>
internal sealed class EmbeddingSearch(KnowledgeBase knowledge, string? counterFile)
{
    /// <summary>The handler.</summary>
    public async Task<KnowledgeResult> HandleAsync(KnowledgeRequest request, JobContext context, CancellationToken cancellationToken)
    {
        await ExecutionLog.RecordAsync(counterFile, "embedding-search", cancellationToken).ConfigureAwait(false);

        if (request.Queries.Count == 0)
        {
            throw new ArgumentException("embedding-search needs at least one query in 'queries'.");
        }

        return new KnowledgeResult(knowledge.Search(request.Queries, Math.Clamp(request.K, 1, 20), cancellationToken), knowledge.Count, Embedder.ModelName);
    }
}

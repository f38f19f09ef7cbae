namespace ResearchAgent.Web;

/// <summary>A web search API: the best pages for a query. The offline web's BM25 index stands in for a real one.</summary>
internal interface ISearchProvider
{
    /// <summary>Up to <paramref name="count"/> results, best first.</summary>
    Task<IReadOnlyList<SearchHit>> SearchAsync(string query, int count, CancellationToken cancellationToken = default);
}

/// <summary>A search result: the page to fetch, its title and the engine's score.</summary>
internal sealed record SearchHit(string Url, string Title, double Score);

using ResearchAgent.Text;

namespace ResearchAgent.Web;

/// <summary>
/// Search over the offline web: a BM25 index of its pages' main text, built from the files the static server serves
/// (as a search engine indexes a crawl), returning URLs on that server.
/// </summary>
internal sealed class Bm25SearchProvider : ISearchProvider
{
    private readonly Bm25Index<SearchHit> _index;

    public Bm25SearchProvider(string webRoot, string baseUrl)
    {
        var pages = OfflineWeb.Pages(webRoot).Select(path =>
        {
            var page = HtmlExtractor.Extract(File.ReadAllText(path));
            var url = baseUrl.TrimEnd('/') + "/" + Path.GetRelativePath(webRoot, path).Replace('\\', '/');
            return (new SearchHit(url, page.Title, 0), page.Title + "\n" + string.Join("\n", page.Paragraphs));
        });
        _index = new Bm25Index<SearchHit>(pages);
    }

    /// <summary>Pages indexed.</summary>
    public int Count => _index.Count;

    public Task<IReadOnlyList<SearchHit>> SearchAsync(string query, int count, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<SearchHit>>([.. _index.Search(query, count).Select(h => h.Id with { Score = Math.Round(h.Score, 3) })]);
}

using Hearth.Worker;
using ResearchAgent.Text;

namespace ResearchAgent.Web;

/// <summary>
/// The web-retrieval endpoint (stateless, CPU): search, fetch the top pages in parallel with a per-request timeout,
/// extract their main text, chunk it, and return the chunks that best match the query. A page that does not answer
/// in time is noted and skipped; the others still count.
/// </summary>
internal sealed class WebRetrieval(ISearchProvider search, HttpClient http, TimeSpan fetchTimeout, TimeProvider time, string? counterFile)
{
    /// <summary>Chunks returned per query.</summary>
    public const int ChunksPerQuery = 4;

    /// <summary>The handler.</summary>
    public async Task<RetrievalResult> HandleAsync(RetrievalRequest request, JobContext context, CancellationToken cancellationToken)
    {
        await ExecutionLog.RecordAsync(counterFile, $"web-retrieval {request.Query}", cancellationToken).ConfigureAwait(false);

        var hits = await search.SearchAsync(request.Query, request.Pages, cancellationToken).ConfigureAwait(false);
        var fetched = await Task.WhenAll(hits.Select(h => FetchAsync(h, context, cancellationToken))).ConfigureAwait(false);
        var notes = fetched.Where(f => f.Fetch.Status != "ok").Select(f => $"{f.Fetch.Url}: {f.Fetch.Status} after {f.Fetch.Ms} ms; carried on without it").ToList();

        var candidates = fetched.Where(f => f.Page is not null)
            .SelectMany(f => Chunker.Chunk(f.Page!.Paragraphs, targetWords: 60).Select(c => new SourceChunk(f.Fetch.Url, f.Page.Title, "web", c, 0)))
            .ToList();
        var index = new Bm25Index<int>(candidates.Select((c, i) => (i, c.Title + " " + c.Text)));
        var best = index.Search(request.Query, ChunksPerQuery).Select(h => candidates[h.Id] with { Score = Math.Round(h.Score, 3) }).ToList();
        return new RetrievalResult(request.Query, best, [.. fetched.Select(f => f.Fetch)], notes);
    }

    /// <summary>
    /// Fetches one page as a step of its own (<c>fetch runaway-jobs.html</c>), so the trace shows every fetch and
    /// the one that hung fails its step at the fetch timeout; the retrieval carries on without it.
    /// </summary>
    private async Task<FetchedPage> FetchAsync(SearchHit hit, JobContext context, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        long Ms() => (long)time.GetElapsedTime(started).TotalMilliseconds;
        try
        {
            return await context.StepAsync($"fetch {Path.GetFileName(new Uri(hit.Url).AbsolutePath)}", async token =>
            {
                using var deadline = CancellationTokenSource.CreateLinkedTokenSource(token);
                deadline.CancelAfter(fetchTimeout);
                try
                {
                    var html = await http.GetStringAsync(hit.Url, deadline.Token).ConfigureAwait(false);
                    return new FetchedPage(new PageFetch(hit.Url, "ok", Ms()), HtmlExtractor.Extract(html));
                }
                catch (OperationCanceledException) when (!token.IsCancellationRequested)
                {
                    throw new TimeoutException($"{hit.Url} did not answer within {fetchTimeout.TotalSeconds:0} s");
                }
            }, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            return new FetchedPage(new PageFetch(hit.Url, $"timeout ({fetchTimeout.TotalSeconds:0} s)", Ms()), null);
        }
        catch (HttpRequestException e)
        {
            return new FetchedPage(new PageFetch(hit.Url, $"error: {e.Message}", Ms()), null);
        }
    }

    /// <summary>The endpoint as configured by the environment (see <see cref="ResearchSettings"/>).</summary>
    public static WebRetrieval FromEnvironment(ResearchSettings settings)
    {
        var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan }; // the per-request deadline is ours, per fetch
        ISearchProvider search = settings.SearxngUrl is { } searx
            ? new SearxngSearchProvider(http, searx)
            : new Bm25SearchProvider(OfflineWeb.Root, settings.WebUrl ?? throw new InvalidOperationException(
                $"{ResearchSettings.WebUrlVariable} is not set: web-retrieval needs the offline web's address (the sample's dev/demo process sets it), or set {ResearchSettings.SearchVariable}=searxng:http://host:port."));
        return new WebRetrieval(search, http, settings.FetchTimeout, TimeProvider.System, settings.CounterFile);
    }
}

/// <summary>One page as fetched (journaled as the result of its fetch step).</summary>
/// <param name="Fetch">What happened.</param>
/// <param name="Page">Its main text, or null when it could not be read.</param>
internal sealed record FetchedPage(PageFetch Fetch, ExtractedPage? Page);

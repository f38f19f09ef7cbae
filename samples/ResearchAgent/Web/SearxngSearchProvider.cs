using System.Net.Http.Json;
using System.Text.Json;

namespace ResearchAgent.Web;

/// <summary>A real web search through a SearXNG instance's JSON API (<c>RESEARCH_SEARCH=searxng:http://host:8888</c>; the instance must enable the json format).</summary>
internal sealed class SearxngSearchProvider(HttpClient http, Uri instance) : ISearchProvider
{
    public async Task<IReadOnlyList<SearchHit>> SearchAsync(string query, int count, CancellationToken cancellationToken = default)
    {
        var uri = new Uri(instance, "search?format=json&q=" + Uri.EscapeDataString(query));
        var body = await http.GetFromJsonAsync<JsonElement>(uri, cancellationToken).ConfigureAwait(false);
        if (!body.TryGetProperty("results", out var results) || results.ValueKind != JsonValueKind.Array)
        {
            throw new InvalidOperationException($"SearXNG at {instance} answered without a 'results' array; is its json format enabled (search.formats in settings.yml)?");
        }

        return [.. results.EnumerateArray().Take(count).Select(r => new SearchHit(
            r.GetProperty("url").GetString() ?? string.Empty,
            r.TryGetProperty("title", out var t) ? t.GetString() ?? string.Empty : string.Empty,
            r.TryGetProperty("score", out var s) && s.TryGetDouble(out var score) ? score : 0))];
    }
}

namespace Hearth.Soak.Worker;

/// <summary>A worker-protocol URL taken apart: <c>/v2/{endpoint}/{route}/{worker}[/{job}]?query</c>.</summary>
internal sealed record WorkerUrl(string Route, string? Job, IReadOnlyDictionary<string, string> QueryValues)
{
    public int? Attempt => int.TryParse(Query("attempt"), out var a) ? a : null;

    public string? Query(string name) => QueryValues.GetValueOrDefault(name);

    public static WorkerUrl Parse(Uri uri)
    {
        var segments = uri.AbsolutePath.Trim('/').Split('/');
        var v2 = Array.IndexOf(segments, "v2");
        var route = v2 >= 0 && segments.Length > v2 + 2 ? segments[v2 + 2] : string.Empty;
        var job = v2 >= 0 && segments.Length > v2 + 4 ? Uri.UnescapeDataString(segments[v2 + 4]) : null;
        var query = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0)
            {
                query[pair[..eq]] = Uri.UnescapeDataString(pair[(eq + 1)..]);
            }
        }

        return new WorkerUrl(route, job, query);
    }
}

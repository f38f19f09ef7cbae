using System.Globalization;

namespace ResearchAgent;

/// <summary>The sample's settings, read from the environment once at start (workers inherit it from the dev process).</summary>
internal sealed record ResearchSettings
{
    public const string WebUrlVariable = "RESEARCH_WEB_URL";
    public const string SearchVariable = "RESEARCH_SEARCH";
    public const string FetchTimeoutVariable = "RESEARCH_FETCH_TIMEOUT_MS";
    public const string CounterFileVariable = "RESEARCH_EXECUTIONS";

    /// <summary>Default per-request fetch timeout: 10 s, inside web-retrieval's 30 s execution timeout.</summary>
    public static readonly TimeSpan DefaultFetchTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Base URL of the offline web (set by the process that serves it).</summary>
    public string? WebUrl { get; init; }

    /// <summary>A SearXNG instance to search the real web instead (<c>RESEARCH_SEARCH=searxng:URL</c>); null = the offline web's BM25 index (default).</summary>
    public Uri? SearxngUrl { get; init; }

    /// <summary>Per-request fetch timeout (default 10 s).</summary>
    public TimeSpan FetchTimeout { get; init; } = DefaultFetchTimeout;

    /// <summary>A folder where each retrieval records a file when it really runs (tests count them); null = none.</summary>
    public string? CounterFile { get; init; }

    /// <summary>OpenAI-compatible server for the LLM mode (<c>HEARTH_LLM_URL</c>); null = extractive mode.</summary>
    public Uri? LlmUrl { get; init; }

    /// <summary>Model name for the LLM mode (<c>HEARTH_LLM_MODEL</c>, default <c>gpt-4o-mini</c>).</summary>
    public string LlmModel { get; init; } = "gpt-4o-mini";

    /// <summary>API key for the LLM server (<c>HEARTH_LLM_KEY</c>; many local servers accept any).</summary>
    public string? LlmKey { get; init; }

    public static ResearchSettings FromEnvironment()
    {
        static string? Env(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } v ? v : null;
        var search = Env(SearchVariable);
        Uri? searx = null;
        if (search is not null && !string.Equals(search, "bm25", StringComparison.OrdinalIgnoreCase))
        {
            if (!search.StartsWith("searxng:", StringComparison.OrdinalIgnoreCase) || !Uri.TryCreate(search["searxng:".Length..].TrimEnd('/') + "/", UriKind.Absolute, out searx))
            {
                throw new InvalidOperationException($"{SearchVariable}={search} is not understood. Fix: use 'bm25' (the offline web, default) or 'searxng:http://host:port'.");
            }
        }

        var timeout = DefaultFetchTimeout;
        if (Env(FetchTimeoutVariable) is { } ms)
        {
            if (!int.TryParse(ms, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < 100)
            {
                throw new InvalidOperationException($"{FetchTimeoutVariable}={ms} is not a timeout. Fix: milliseconds, at least 100 (default 10000).");
            }

            timeout = TimeSpan.FromMilliseconds(value);
        }

        Uri? llm = null;
        if (Env("HEARTH_LLM_URL") is { } url && !Uri.TryCreate(url, UriKind.Absolute, out llm))
        {
            throw new InvalidOperationException($"HEARTH_LLM_URL={url} is not an absolute URL. Fix: e.g. http://127.0.0.1:11434/v1 (Ollama) or https://api.openai.com/v1.");
        }

        return new ResearchSettings
        {
            WebUrl = Env(WebUrlVariable),
            SearxngUrl = searx,
            FetchTimeout = timeout,
            CounterFile = Env(CounterFileVariable),
            LlmUrl = llm,
            LlmModel = Env("HEARTH_LLM_MODEL") ?? "gpt-4o-mini",
            LlmKey = Env("HEARTH_LLM_KEY"),
        };
    }
}

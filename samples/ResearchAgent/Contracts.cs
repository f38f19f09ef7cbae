namespace ResearchAgent;

// Wire types of the three endpoints (JSON, web naming), journaled step results included.

/// <summary>Input of agent-orchestrator. <c>Chaos</c> makes the first attempt wait in synthesis so the demo can kill its worker.</summary>
internal sealed record ResearchRequest(string Question, bool Chaos = false);

/// <summary>Input of web-retrieval: one sub-query, how many search results to fetch.</summary>
internal sealed record RetrievalRequest(string Query, int Pages = 3);

/// <summary>A passage from a source: a web page (<c>web</c>) or a knowledge-base document (<c>kb</c>).</summary>
internal sealed record SourceChunk(string Source, string Title, string Kind, string Text, double Score);

/// <summary>One page fetch: <c>ok</c>, <c>timeout</c> or the error, and how long it took.</summary>
internal sealed record PageFetch(string Url, string Status, long Ms);

/// <summary>Output of web-retrieval: the best chunks for the query, and what happened to each fetch.</summary>
internal sealed record RetrievalResult(string Query, IReadOnlyList<SourceChunk> Chunks, IReadOnlyList<PageFetch> Fetches, IReadOnlyList<string> Notes);

/// <summary>Input of embedding-search: queries to match against the knowledge base, top-k per query.</summary>
internal sealed record KnowledgeRequest(IReadOnlyList<string> Queries, int K = 3);

/// <summary>Output of embedding-search: the best chunks (deduplicated, best score kept), and the index's size.</summary>
internal sealed record KnowledgeResult(IReadOnlyList<SourceChunk> Chunks, int IndexedChunks, string Model);

/// <summary>A numbered source of the answer.</summary>
internal sealed record Citation(int N, string Source, string Title, string Kind);

/// <summary>A step of the pipeline as it ran (or was replayed from the journal).</summary>
internal sealed record StepTiming(string Name, string State, long Ms, string? Note = null);

/// <summary>What agent-orchestrator reports while it runs (shown by <c>/status</c>).</summary>
internal sealed record ResearchProgress(int Attempt, string Worker, IReadOnlyList<StepTiming> Steps);

/// <summary>Output of agent-orchestrator.</summary>
internal sealed record ResearchAnswer(
    string Question,
    string Mode,
    IReadOnlyList<string> SubQueries,
    string Answer,
    IReadOnlyList<Citation> Sources,
    IReadOnlyList<StepTiming> Steps,
    IReadOnlyList<string> Notes,
    int Revisions,
    int Attempt,
    bool Rehydrated,
    int ReplayedSteps);

using Hearth.App;
using Hearth.Core.Endpoints;
using ResearchAgent.Knowledge;
using ResearchAgent.Orchestration;
using ResearchAgent.Web;

namespace ResearchAgent;

/// <summary>The seed article's three endpoints with its settings (mirrored in hearth.yaml for <c>hearth lint</c>).</summary>
internal static class ResearchEndpoints
{
    public const string Orchestrator = "agent-orchestrator";
    public const string WebRetrieval = "web-retrieval";
    public const string EmbeddingSearch = "embedding-search";

    /// <summary>Declares the endpoints (workers inherit HEARTH_LLM_URL/MODEL/KEY from the environment: optional, so no <c>${}</c> references, which dev requires to be set); each handler's state (model, index, HTTP client) is built once per worker, on first use or by <see cref="Handlers.Warm"/>.</summary>
    public static Handlers Declare(HearthApp app, ResearchSettings settings)
    {
        var handlers = new Handlers(settings);
        app.Endpoint(Orchestrator, e => e.Gpu("NVIDIA A100 80GB PCIe").Workers(3, 20).IdleTimeout(TimeSpan.FromSeconds(1800))
                .ExecutionTimeout(TimeSpan.FromMilliseconds(120_000)).Volume("model-weights", 50).Latency(EndpointLatency.Realtime)
                .Calls(WebRetrieval, EmbeddingSearch))
           .Handle<ResearchRequest, ResearchAnswer>((r, ctx, ct) => handlers.Pipeline.Value.HandleAsync(r, ctx, ct));

        // I/O-bound scraping: one worker fetches the three sub-queries' pages at once (concurrency 3) rather than
        // cold-starting two more processes for a burst that lasts seconds.
        app.Endpoint(WebRetrieval, e => e.Cpu("cpu5c-4-8").Workers(0, 10).IdleTimeout(TimeSpan.FromSeconds(300))
                .ExecutionTimeout(TimeSpan.FromMilliseconds(30_000)).Concurrency(3).Latency(EndpointLatency.Batch))
           .Handle<RetrievalRequest, RetrievalResult>((r, ctx, ct) => handlers.Retrieval.Value.HandleAsync(r, ctx, ct));

        app.Endpoint(EmbeddingSearch, e => e.Gpu("NVIDIA GeForce RTX 4090").Workers(1, 10).ExecutionTimeout(TimeSpan.FromMilliseconds(60_000)))
           .Handle<KnowledgeRequest, KnowledgeResult>((r, ctx, ct) => handlers.Search.Value.HandleAsync(r, ctx, ct));
        return handlers;
    }

    /// <summary>Each endpoint's handler, built lazily so a process builds only the one it serves.</summary>
    internal sealed class Handlers(ResearchSettings settings)
    {
        public Lazy<ResearchPipeline> Pipeline { get; } = new(() => new ResearchPipeline(
            settings.LlmUrl is { } url ? ChatModel.Create(url, settings.LlmModel, settings.LlmKey) : new ExtractiveModel(), TimeProvider.System));

        public Lazy<WebRetrieval> Retrieval { get; } = new(() => Web.WebRetrieval.FromEnvironment(settings));

        public Lazy<EmbeddingSearch> Search { get; } = new(() => new EmbeddingSearch(KnowledgeBase.Build(KnowledgeBase.Root, TimeProvider.System), settings.CounterFile));

        /// <summary>Builds the state of <paramref name="endpoint"/>'s handler now: a worker loads its model and index when it starts, not on its first job.</summary>
        public void Warm(string endpoint)
        {
            _ = endpoint switch
            {
                EmbeddingSearch => (object)Search.Value,
                WebRetrieval => Retrieval.Value,
                _ => Pipeline.Value,
            };
        }
    }
}

using Hearth.Worker;

namespace ResearchAgent.Orchestration;

/// <summary>
/// The agent-orchestrator endpoint (stateful, GPU in production): decompose → web-retrieval × 3 and embedding-search
/// in parallel → synthesize → critique (→ one revision). Every stage is a journaled step, so a worker that dies
/// mid-run costs only the step it was in: the next worker replays the rest from the journal.
/// </summary>
internal sealed class ResearchPipeline(IResearchModel model, TimeProvider time)
{
    /// <summary>A web-retrieval call's limit: web-retrieval's own execution timeout.</summary>
    public static readonly TimeSpan RetrievalCallTimeout = TimeSpan.FromSeconds(30);

    /// <summary>The embedding-search call's limit (its worker may still be indexing on a cold start).</summary>
    public static readonly TimeSpan SearchCallTimeout = TimeSpan.FromSeconds(60);

    /// <summary>How long a <c>chaos</c> run's first attempt waits in synthesis for the demo to kill its worker.</summary>
    public static readonly TimeSpan ChaosWait = TimeSpan.FromSeconds(20);

    /// <summary>The handler.</summary>
    public async Task<ResearchAnswer> HandleAsync(ResearchRequest request, JobContext context, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request.Question))
        {
            throw new ArgumentException("The request has no 'question'. Send {\"question\": \"How do I stop agent jobs from pinning GPUs forever?\"}.");
        }

        var progress = new ProgressTracker(context, time);
        var question = request.Question.Trim();
        var subQueries = await progress.StepAsync("decompose", t => model.DecomposeAsync(question, t), cancellationToken, q => string.Join(" | ", q)).ConfigureAwait(false);

        var web = subQueries.Select((q, i) => progress.StepAsync($"web-retrieval-{i + 1}", t => RetrieveAsync(context, q, t), cancellationToken, Describe)).ToList();
        var kb = progress.StepAsync("embedding-search", t => SearchAsync(context, [question, .. subQueries], t), cancellationToken,
            r => r.Chunks.Count > 0 ? $"{r.Chunks.Count} chunks of {r.IndexedChunks}" : string.Join("; ", r.Notes));
        var retrieved = await Task.WhenAll(web).ConfigureAwait(false);
        var knowledge = await kb.ConfigureAwait(false);
        var evidence = retrieved.SelectMany(r => r.Chunks).Concat(knowledge.Chunks).ToList();

        var draft = await progress.StepAsync("synthesize", async t =>
        {
            if (request.Chaos && context.Attempt == 1)
            {
                await progress.NoteAsync("synthesize", "chaos: waiting for the worker to be killed", t).ConfigureAwait(false);
                await Task.Delay(ChaosWait, time, t).ConfigureAwait(false);
            }

            return await model.SynthesizeAsync(question, subQueries, evidence, t).ConfigureAwait(false);
        }, cancellationToken, d => $"{d.Sources.Count} sources").ConfigureAwait(false);

        var problems = await progress.StepAsync("critique", t => model.CritiqueAsync(question, subQueries, draft, evidence, t), cancellationToken,
            p => p.Count == 0 ? "ok" : $"{p.Count} problem(s): revising once").ConfigureAwait(false);
        var revisions = 0;
        if (problems.Count > 0)
        {
            draft = await progress.StepAsync("revise", t => model.ReviseAsync(question, subQueries, draft, problems, evidence, t), cancellationToken, d => $"{d.Sources.Count} sources").ConfigureAwait(false);
            revisions = 1;
        }

        var notes = retrieved.SelectMany(r => r.Notes).Concat(knowledge.Notes).Concat(problems.Select(p => "critique: " + p)).ToList();
        return new ResearchAnswer(question, model.Mode, subQueries, draft.Answer, draft.Sources, progress.Steps, notes, revisions,
            context.Attempt, context.IsRehydrated, context.ReplayedSteps);
    }

    private static string Describe(RetrievalResult r)
    {
        var timedOut = r.Fetches.Where(f => f.Status.StartsWith("timeout", StringComparison.Ordinal)).ToList();
        var text = $"{r.Fetches.Count(f => f.Status == "ok")}/{r.Fetches.Count} pages, {r.Chunks.Count} chunks";
        return timedOut.Count > 0 ? $"{text}; {string.Join(", ", timedOut.Select(f => Path.GetFileName(f.Url)))} timed out" : r.Notes.Count > 0 && r.Fetches.Count == 0 ? r.Notes[0] : text;
    }

    private static async Task<RetrievalResult> RetrieveAsync(JobContext context, string query, CancellationToken cancellationToken)
    {
        try
        {
            return await context.CallAsync<RetrievalRequest, RetrievalResult>("web-retrieval", new RetrievalRequest(query), RetrievalCallTimeout, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (CallFailedException e)
        {
            // One stuck scraper fails its own call, not the orchestrator: carry on with what the others found.
            return new RetrievalResult(query, [], [], [$"web-retrieval \"{query}\": call {e.Status} ({e.Message}); carried on without it"]);
        }
    }

    private static async Task<KnowledgeSearch> SearchAsync(JobContext context, IReadOnlyList<string> queries, CancellationToken cancellationToken)
    {
        try
        {
            var result = await context.CallAsync<KnowledgeRequest, KnowledgeResult>("embedding-search", new KnowledgeRequest(queries), SearchCallTimeout, cancellationToken: cancellationToken).ConfigureAwait(false);
            return new KnowledgeSearch(result.Chunks, result.IndexedChunks, []);
        }
        catch (CallFailedException e)
        {
            return new KnowledgeSearch([], 0, [$"embedding-search: call {e.Status} ({e.Message}); carried on without the knowledge base"]);
        }
    }

    /// <summary>The embedding-search step's journaled result.</summary>
    internal sealed record KnowledgeSearch(IReadOnlyList<SourceChunk> Chunks, int IndexedChunks, IReadOnlyList<string> Notes);
}

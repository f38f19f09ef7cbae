namespace ResearchAgent.Orchestration;

/// <summary>
/// The orchestrator's reasoning: decomposition, synthesis, critique and revision. <see cref="ExtractiveModel"/> needs
/// no language model; <see cref="ChatModel"/> uses any OpenAI-compatible server through <c>IChatClient</c>.
/// </summary>
internal interface IResearchModel
{
    /// <summary>How the answer is made, as printed with it.</summary>
    string Mode { get; }

    /// <summary>Three focused sub-queries for the question.</summary>
    Task<IReadOnlyList<string>> DecomposeAsync(string question, CancellationToken cancellationToken = default);

    /// <summary>A first answer from the evidence, with numbered citations.</summary>
    Task<Draft> SynthesizeAsync(string question, IReadOnlyList<string> subQueries, IReadOnlyList<SourceChunk> evidence, CancellationToken cancellationToken = default);

    /// <summary>What is wrong with the draft (uncovered sub-queries, uncited claims); empty when nothing is.</summary>
    Task<IReadOnlyList<string>> CritiqueAsync(string question, IReadOnlyList<string> subQueries, Draft draft, IReadOnlyList<SourceChunk> evidence, CancellationToken cancellationToken = default);

    /// <summary>The draft revised to address <paramref name="problems"/>.</summary>
    Task<Draft> ReviseAsync(string question, IReadOnlyList<string> subQueries, Draft draft, IReadOnlyList<string> problems, IReadOnlyList<SourceChunk> evidence, CancellationToken cancellationToken = default);
}

/// <summary>An answer with its numbered sources; <c>Claims</c> are the cited sentences (extractive mode only).</summary>
internal sealed record Draft(string Answer, IReadOnlyList<Citation> Sources, IReadOnlyList<Claim> Claims);

/// <summary>One sentence of an extractive answer, where it came from, and the sub-query it answers.</summary>
internal sealed record Claim(string Text, string Source, string Title, string Kind, int SubQuery);

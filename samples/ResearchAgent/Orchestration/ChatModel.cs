using System.ClientModel;
using System.Text;
using Microsoft.Extensions.AI;
using OpenAI;

namespace ResearchAgent.Orchestration;

/// <summary>The LLM mode: any OpenAI-compatible server (vLLM, Ollama, OpenAI) through <see cref="IChatClient"/>.</summary>
internal sealed class ChatModel(IChatClient chat, string model) : IResearchModel
{
    /// <summary>Evidence chunks shown to the model (the best first).</summary>
    private const int MaxEvidence = 12;

    public string Mode => $"llm ({model})";

    /// <summary>A chat client for <paramref name="url"/> (e.g. http://127.0.0.1:11434/v1).</summary>
    public static ChatModel Create(Uri url, string model, string? key) =>
        new(new OpenAIClient(new ApiKeyCredential(key ?? "unused"), new OpenAIClientOptions { Endpoint = url }).GetChatClient(model).AsIChatClient(), model);

    public async Task<IReadOnlyList<string>> DecomposeAsync(string question, CancellationToken cancellationToken = default)
    {
        var text = await AskAsync("You split research questions into web-search queries.",
            $"Split this question into exactly 3 short, focused web-search queries, one per line, no numbering:\n{question}", cancellationToken).ConfigureAwait(false);
        var lines = text.Split('\n').Select(l => l.Trim().TrimStart('-', '*', ' ', '1', '2', '3', '.', ')').Trim()).Where(l => l.Length > 0).Take(3).ToList();
        return lines.Count == 3 ? lines : Decomposition.Decompose(question); // a model that ignores the format gets the analytic split
    }

    public async Task<Draft> SynthesizeAsync(string question, IReadOnlyList<string> subQueries, IReadOnlyList<SourceChunk> evidence, CancellationToken cancellationToken = default)
    {
        var (sources, listing) = Number(evidence);
        var answer = await AskAsync("You answer from the given sources only and cite each claim as [n].",
            $"Question: {question}\n\nSources:\n{listing}\nWrite a concise answer (at most 8 sentences). Cite every claim with the source number in brackets, e.g. [2].", cancellationToken).ConfigureAwait(false);
        return new Draft(answer.Trim(), sources, []);
    }

    public async Task<IReadOnlyList<string>> CritiqueAsync(string question, IReadOnlyList<string> subQueries, Draft draft, IReadOnlyList<SourceChunk> evidence, CancellationToken cancellationToken = default)
    {
        var text = await AskAsync("You review answers strictly.",
            $"Question: {question}\nSub-questions:\n- {string.Join("\n- ", subQueries)}\n\nAnswer:\n{draft.Answer}\n\n" +
            "Reply with the single word OK if every sub-question is answered and every claim cites a source [n]. Otherwise list each problem on its own line.", cancellationToken).ConfigureAwait(false);
        return text.Trim().Equals("OK", StringComparison.OrdinalIgnoreCase) || text.Trim().StartsWith("OK", StringComparison.Ordinal) ? [] :
            [.. text.Split('\n').Select(l => l.Trim().TrimStart('-', '*', ' ')).Where(l => l.Length > 0)];
    }

    public async Task<Draft> ReviseAsync(string question, IReadOnlyList<string> subQueries, Draft draft, IReadOnlyList<string> problems, IReadOnlyList<SourceChunk> evidence, CancellationToken cancellationToken = default)
    {
        var (sources, listing) = Number(evidence);
        var answer = await AskAsync("You answer from the given sources only and cite each claim as [n].",
            $"Question: {question}\n\nSources:\n{listing}\nDraft:\n{draft.Answer}\n\nA reviewer found:\n- {string.Join("\n- ", problems)}\n\nRewrite the answer fixing these problems; cite every claim as [n].", cancellationToken).ConfigureAwait(false);
        return new Draft(answer.Trim(), sources, []);
    }

    private async Task<string> AskAsync(string system, string user, CancellationToken cancellationToken)
    {
        var response = await chat.GetResponseAsync([new ChatMessage(ChatRole.System, system), new ChatMessage(ChatRole.User, user)], cancellationToken: cancellationToken).ConfigureAwait(false);
        return response.Text;
    }

    private static (IReadOnlyList<Citation> Sources, string Listing) Number(IReadOnlyList<SourceChunk> evidence)
    {
        var sources = new List<Citation>();
        var listing = new StringBuilder();
        foreach (var chunk in evidence.OrderByDescending(e => e.Score).Take(MaxEvidence))
        {
            var citation = sources.FirstOrDefault(s => s.Source == chunk.Source);
            if (citation is null)
            {
                citation = new Citation(sources.Count + 1, chunk.Source, chunk.Title, chunk.Kind);
                sources.Add(citation);
            }

            listing.Append('[').Append(citation.N).Append("] ").Append(chunk.Title).Append(": ").AppendLine(chunk.Text);
        }

        return (sources, listing.ToString());
    }
}

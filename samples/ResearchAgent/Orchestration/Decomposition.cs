using ResearchAgent.Text;

namespace ResearchAgent.Orchestration;

/// <summary>
/// Decomposition by query analysis (no model): the question's content words, widened with the terms practitioners
/// use for the same problem, asked from three angles — the problem itself, its causes, and the configuration that
/// prevents it.
/// </summary>
internal static class Decomposition
{
    /// <summary>Everyday words mapped to the vocabulary of the field (a tiny thesaurus; stems on the left).</summary>
    private static readonly Dictionary<string, string> Related = new(StringComparer.Ordinal)
    {
        ["pin"] = "runaway hang",
        ["forever"] = "timeout",
        ["stuck"] = "hang timeout",
        ["hang"] = "timeout",
        ["never"] = "timeout",
        ["memory"] = "vram kv cache",
        ["oom"] = "memory kv cache",
        ["vram"] = "kv cache",
        ["slow"] = "latency cold start",
        ["cold"] = "warm workers",
        ["crash"] = "rehydration journal",
        ["die"] = "rehydration journal",
        ["dies"] = "rehydration journal",
        ["session"] = "state",
        ["long"] = "context",
        ["cost"] = "idle timeout",
    };

    /// <summary>The three sub-queries: the widened question; its subject and the field's terms for the problem, asked for causes; the same, asked for configuration.</summary>
    public static IReadOnlyList<string> Decompose(string question)
    {
        var keywords = Terms.Keywords(question);
        if (keywords.Count == 0)
        {
            throw new ArgumentException("The question has no content words to research; ask about something, e.g. \"How do I stop agent jobs from pinning GPUs forever?\"");
        }

        var expansion = keywords.Select(Terms.Stem).Select(s => Related.GetValueOrDefault(s)).OfType<string>()
            .SelectMany(e => e.Split(' ')).Where(e => !keywords.Contains(e)).Distinct().ToList();
        var widened = string.Join(' ', keywords.Concat(expansion));
        var subject = string.Join(' ', keywords.Take(2));
        var focus = expansion.Any() ? string.Join(' ', expansion) : string.Join(' ', keywords.Skip(2).DefaultIfEmpty(keywords[0]));
        return [widened, $"why {subject} {focus} causes", $"{subject} {focus} configure settings production"];
    }
}

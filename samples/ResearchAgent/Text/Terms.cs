using System.Text.RegularExpressions;

namespace ResearchAgent.Text;

/// <summary>Lower-cased word terms without stop words, with a light suffix stemmer: what BM25 and query analysis count.</summary>
internal static partial class Terms
{
    private static readonly HashSet<string> StopWords = new(StringComparer.Ordinal)
    {
        "a", "an", "and", "are", "as", "at", "be", "by", "can", "do", "does", "for", "from", "has", "have", "how", "i", "if",
        "in", "into", "is", "it", "its", "my", "of", "on", "or", "our", "should", "so", "that", "the", "their", "them", "then",
        "there", "these", "they", "this", "to", "was", "we", "what", "when", "where", "which", "who", "why", "will", "with",
        "you", "your", "me", "not", "no", "but", "than", "too", "very", "just", "all", "any", "each", "one", "up", "out",
        "stop", "keep", "get", "make", "use", "using",
    };

    [GeneratedRegex(@"[A-Za-z][A-Za-z0-9\-]*|\d+[A-Za-z]*")]
    private static partial Regex Word();

    /// <summary>The terms of <paramref name="text"/>, in order, stemmed.</summary>
    public static IEnumerable<string> Of(string text) =>
        Word().Matches(text).Select(m => m.Value.ToLowerInvariant()).Where(w => !StopWords.Contains(w)).Select(Stem);

    /// <summary>The content words of <paramref name="text"/> as written (lower case, unstemmed, stop words removed), distinct, in order.</summary>
    public static IReadOnlyList<string> Keywords(string text) =>
        [.. Word().Matches(text).Select(m => m.Value.ToLowerInvariant()).Where(w => !StopWords.Contains(w) && w.Length > 1).Distinct()];

    /// <summary>A crude English stemmer: enough for "timeouts"/"timeout" and "pinning"/"pin" to meet.</summary>
    public static string Stem(string word)
    {
        if (word.Length > 5 && word.EndsWith("ing", StringComparison.Ordinal))
        {
            var stem = word[..^3];
            return stem.Length > 3 && stem[^1] == stem[^2] ? stem[..^1] : stem;
        }

        if (word.Length > 4 && word.EndsWith("ies", StringComparison.Ordinal))
        {
            return word[..^3] + "y";
        }

        if (word.Length > 3 && word.EndsWith('s') && !word.EndsWith("ss", StringComparison.Ordinal))
        {
            return word[..^1];
        }

        return word;
    }
}

using System.Text.RegularExpressions;

namespace ResearchAgent.Text;

/// <summary>Splits text into sentences, and sentences into chunks of about <c>targetWords</c> words that never cut a sentence.</summary>
internal static partial class Chunker
{
    /// <summary>Default chunk size in words (a MiniLM input is 256 word pieces; 120 words stays well inside).</summary>
    public const int DefaultTargetWords = 120;

    [GeneratedRegex(@"(?<=[.!?])\s+(?=[A-Z0-9""'(\[])")]
    private static partial Regex SentenceBreak();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Space();

    /// <summary>The sentences of a paragraph of prose, whitespace collapsed.</summary>
    public static IReadOnlyList<string> Sentences(string text) =>
        [.. SentenceBreak().Split(Space().Replace(text, " ").Trim()).Select(s => s.Trim()).Where(s => s.Length > 0)];

    /// <summary>Chunks of whole sentences, each at most about <paramref name="targetWords"/> words (a longer sentence is a chunk alone). Paragraphs never share a chunk.</summary>
    public static IReadOnlyList<string> Chunk(IEnumerable<string> paragraphs, int targetWords = DefaultTargetWords)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(targetWords, 1);
        var chunks = new List<string>();
        foreach (var paragraph in paragraphs)
        {
            var current = new List<string>();
            var words = 0;
            foreach (var sentence in Sentences(paragraph))
            {
                var count = sentence.Split(' ').Length;
                if (current.Count > 0 && words + count > targetWords)
                {
                    chunks.Add(string.Join(' ', current));
                    current.Clear();
                    words = 0;
                }

                current.Add(sentence);
                words += count;
            }

            if (current.Count > 0)
            {
                chunks.Add(string.Join(' ', current));
            }
        }

        return chunks;
    }
}

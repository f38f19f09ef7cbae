using System.Text.RegularExpressions;
using ResearchAgent.Text;

namespace ResearchAgent.Knowledge;

/// <summary>Splits a Markdown document into prose chunks, each titled by the heading it sits under; code blocks and tables are left out (they embed poorly and read badly in an answer).</summary>
internal static partial class MarkdownChunks
{
    [GeneratedRegex(@"\[([^\]]+)\]\([^)]+\)")]
    private static partial Regex Link();

    [GeneratedRegex(@"[*`]+|(?<!\w)_+|_+(?!\w)")]
    private static partial Regex Emphasis();

    /// <summary>(heading, chunk text) pairs of <paramref name="markdown"/>.</summary>
    public static IReadOnlyList<(string Heading, string Text)> Split(string markdown, int targetWords = Chunker.DefaultTargetWords)
    {
        var result = new List<(string, string)>();
        var heading = string.Empty;
        var paragraph = new List<string>();
        var paragraphs = new List<string>();
        var inCode = false;

        void EndParagraph()
        {
            if (paragraph.Count > 0)
            {
                paragraphs.Add(Plain(string.Join(' ', paragraph)));
                paragraph.Clear();
            }
        }

        void EndSection()
        {
            EndParagraph();
            result.AddRange(Chunker.Chunk(paragraphs, targetWords).Select(c => (heading, c)));
            paragraphs.Clear();
        }

        foreach (var raw in markdown.Split('\n'))
        {
            var line = raw.TrimEnd();
            if (line.TrimStart().StartsWith("```", StringComparison.Ordinal))
            {
                EndParagraph();
                inCode = !inCode;
                continue;
            }

            if (inCode || line.TrimStart().StartsWith('|'))
            {
                EndParagraph();
                continue;
            }

            if (line.StartsWith('#'))
            {
                EndSection();
                heading = Plain(line.TrimStart('#'));
                continue;
            }

            if (line.Length == 0)
            {
                EndParagraph();
                continue;
            }

            // A list item starts its own paragraph.
            if (line.TrimStart() is ['-' or '*', ' ', ..] or [>= '0' and <= '9', '.', ' ', ..])
            {
                EndParagraph();
                line = line.TrimStart()[2..];
            }

            paragraph.Add(line.Trim());
        }

        EndSection();
        return result;
    }

    private static string Plain(string text) => Emphasis().Replace(Link().Replace(text, "$1"), string.Empty).Trim();
}

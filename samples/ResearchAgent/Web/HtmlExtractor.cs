using AngleSharp.Dom;
using AngleSharp.Html.Parser;

namespace ResearchAgent.Web;

/// <summary>A page's title and main text: the <c>article</c> (or <c>main</c>, or the densest block) without navigation, banners, sidebars and footers.</summary>
internal static class HtmlExtractor
{
    private static readonly string[] Boilerplate = ["nav", "header", "footer", "aside", "form", "script", "style", "noscript", "iframe", ".cookie-banner", ".sidebar", ".promo", ".byline"];

    /// <summary>The extracted page: title and paragraphs of main text.</summary>
    public static ExtractedPage Extract(string html)
    {
        var document = new HtmlParser().ParseDocument(html);
        foreach (var element in Boilerplate.SelectMany(document.QuerySelectorAll).ToList())
        {
            element.Remove();
        }

        var root = document.QuerySelector("article") ?? document.QuerySelector("main") ?? Densest(document) ?? document.Body;
        var title = root?.QuerySelector("h1")?.TextContent.Trim() ?? document.Title?.Split('|')[0].Trim() ?? string.Empty;
        var paragraphs = root is null ? [] : root.QuerySelectorAll("p, li, pre, blockquote")
            .Select(p => Normalize(p.TextContent)).Where(t => t.Length > 0).ToList();
        if (paragraphs.Count == 0 && root is not null && Normalize(root.TextContent) is { Length: > 0 } text)
        {
            paragraphs.Add(text);
        }

        return new ExtractedPage(title, paragraphs);
    }

    /// <summary>The element holding the most paragraph text directly: the main column of a page with no semantic markup.</summary>
    private static IElement? Densest(IDocument document) =>
        document.QuerySelectorAll("div, section").MaxBy(d => d.Children.Where(c => c.LocalName == "p").Sum(c => c.TextContent.Length));

    private static string Normalize(string text) => string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
}

/// <summary>A page reduced to its title and main-text paragraphs.</summary>
internal sealed record ExtractedPage(string Title, IReadOnlyList<string> Paragraphs);

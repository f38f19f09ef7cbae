using ResearchAgent.Web;

namespace Hearth.ResearchAgent.Tests.Units;

public sealed class HtmlExtractorTests
{
    [Fact]
    public void Keeps_the_article_and_drops_navigation_banners_sidebars_and_footers()
    {
        var page = HtmlExtractor.Extract("""
            <html><head><title>Runaway jobs | GPU Notes</title></head><body>
            <div class="cookie-banner">We use cookies. Accept all</div>
            <header><nav><ul><li><a href="/">Home</a></li></ul></nav></header>
            <main><article><h1>Runaway jobs</h1><p class="byline">Published 2025</p>
            <p>Set an execution timeout.</p><p>Kill the worker   if it ignores the stop.</p></article></main>
            <aside class="sidebar"><ul><li>Popular post</li></ul></aside>
            <footer>© 2025 GPU Notes</footer></body></html>
            """);

        Assert.Equal("Runaway jobs", page.Title);
        Assert.Equal(["Set an execution timeout.", "Kill the worker if it ignores the stop."], page.Paragraphs);
    }

    [Fact]
    public void Without_semantic_markup_takes_the_block_with_the_most_paragraph_text()
    {
        var page = HtmlExtractor.Extract("""
            <html><head><title>Cold starts | Ops</title></head><body>
            <div class="menu"><p>Home</p></div>
            <div class="content"><p>Scale-to-zero costs a cold start of twenty to ninety seconds.</p><p>Keep warm workers.</p></div>
            </body></html>
            """);

        Assert.Equal("Cold starts", page.Title);
        Assert.Equal(["Scale-to-zero costs a cold start of twenty to ninety seconds.", "Keep warm workers."], page.Paragraphs);
    }

    [Fact]
    public void Every_offline_page_has_a_title_and_main_text_without_boilerplate()
    {
        var pages = OfflineWeb.Pages(OfflineWeb.Root).ToList();

        Assert.InRange(pages.Count, 20, 40);
        Assert.Contains(pages, p => p.EndsWith(OfflineWeb.SlowPage, StringComparison.Ordinal));
        foreach (var path in pages)
        {
            var page = HtmlExtractor.Extract(File.ReadAllText(path));
            Assert.False(string.IsNullOrWhiteSpace(page.Title), path);
            Assert.True(page.Paragraphs.Count >= 3, path);
            Assert.DoesNotContain(page.Paragraphs, p => p.Contains("cookies", StringComparison.Ordinal) || p.Contains("All rights reserved", StringComparison.Ordinal));
        }
    }
}

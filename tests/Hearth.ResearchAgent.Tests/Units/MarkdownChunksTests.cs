using ResearchAgent.Knowledge;

namespace Hearth.ResearchAgent.Tests.Units;

public sealed class MarkdownChunksTests
{
    [Fact]
    public void Chunks_prose_under_its_heading_without_code_tables_or_markup()
    {
        var chunks = MarkdownChunks.Split("""
            # Sessions
            A job may carry `session_id`, see [the API](api.md).

            ```csharp
            var x = 1;
            ```
            | a | b |
            |---|---|
            ## Calls
            - Each call has **its own** timeout.
            """);

        Assert.Equal([("Sessions", "A job may carry session_id, see the API."), ("Calls", "Each call has its own timeout.")], chunks);
    }
}

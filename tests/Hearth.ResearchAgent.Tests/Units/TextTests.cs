using ResearchAgent.Text;

namespace Hearth.ResearchAgent.Tests.Units;

public sealed class TextTests
{
    [Fact]
    public void Bm25_ranks_the_document_about_the_query_first_and_leaves_out_unrelated_ones()
    {
        var index = new Bm25Index<string>([
            ("kv", "The KV cache grows with context length and lives in GPU memory."),
            ("timeouts", "Set an execution timeout so runaway jobs stop pinning GPUs; a timeout kills the job."),
            ("cooking", "Bake the bread for forty minutes."),
        ]);

        var hits = index.Search("runaway job timeouts", 3);

        Assert.Equal("timeouts", hits[0].Id);
        Assert.DoesNotContain(hits, h => h.Id == "cooking");
    }

    [Fact]
    public void Bm25_prefers_rare_terms_over_common_ones()
    {
        var index = new Bm25Index<int>([(1, "gpu gpu gpu worker"), (2, "gpu rehydration"), (3, "gpu worker"), (4, "gpu")]);

        Assert.Equal(2, index.Search("gpu rehydration", 1)[0].Id);
    }

    [Fact]
    public void Terms_stem_plurals_and_gerunds_so_they_meet()
    {
        Assert.Equal(Terms.Of("timeouts").Single(), Terms.Of("timeout").Single());
        Assert.Equal(Terms.Of("pinning").Single(), Terms.Of("pin").Single());
        Assert.Empty(Terms.Of("how do I the"));
    }

    [Fact]
    public void Sentences_split_on_terminal_punctuation_only()
    {
        var sentences = Chunker.Sentences("A 13B model needs 26 GB. Agents grow a KV cache! Is 1.5 GB enough? yes.");

        Assert.Equal(["A 13B model needs 26 GB.", "Agents grow a KV cache!", "Is 1.5 GB enough? yes."], sentences);
    }

    [Fact]
    public void Chunks_hold_whole_sentences_within_the_target_and_never_mix_paragraphs()
    {
        var paragraph = string.Join(' ', Enumerable.Range(1, 10).Select(i => $"Sentence number {i} has exactly seven words."));
        var chunks = Chunker.Chunk([paragraph, "Second paragraph here."], targetWords: 20);

        Assert.All(chunks.Take(chunks.Count - 1), c => Assert.True(c.Split(' ').Length <= 21, c));
        Assert.All(chunks, c => Assert.EndsWith(".", c));
        Assert.Equal("Second paragraph here.", chunks[^1]);
        Assert.Equal(paragraph, string.Join(" ", chunks.Take(chunks.Count - 1)));
    }
}

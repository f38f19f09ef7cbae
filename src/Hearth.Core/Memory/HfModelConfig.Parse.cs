using System.Text.Json;

namespace Hearth.Core.Memory;

/// <content>Reading a <c>config.json</c> from text or from disk.</content>
public sealed partial record HfModelConfig
{
    /// <summary>The file Hugging Face stores next to <c>config.json</c> for sharded safetensors checkpoints.</summary>
    public const string SafetensorsIndexFileName = "model.safetensors.index.json";

    private const string Fix = "Fix: point at the model's Hugging Face config.json (Llama, Mistral, Qwen or Gemma " +
        "family), e.g. from `huggingface-cli download <repo> config.json`.";

    /// <summary>
    /// Reads a config from a path: a <c>config.json</c> file, or a folder holding one. When a
    /// <see cref="SafetensorsIndexFileName"/> sits next to it, its <c>metadata.total_size</c> is read too.
    /// </summary>
    /// <param name="path">Path to <c>config.json</c> or to the folder that holds it.</param>
    /// <returns>The config.</returns>
    /// <exception cref="ModelConfigException">The file is missing, unreadable, not JSON, or lacks a needed
    /// field.</exception>
    public static HfModelConfig Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var file = Directory.Exists(path) ? Path.Combine(path, "config.json") : path;
        if (!File.Exists(file))
        {
            throw new ModelConfigException($"No model config at '{Path.GetFullPath(file)}'. {Fix}");
        }

        string json;
        try
        {
            json = File.ReadAllText(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ModelConfigException($"Cannot read model config '{file}': {e.Message}", e);
        }

        var config = Parse(json, file);
        var index = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(file))!, SafetensorsIndexFileName);
        return File.Exists(index) ? config with { SafetensorsTotalBytes = ReadSafetensorsTotal(index) } : config;
    }

    /// <summary>Parses the text of a <c>config.json</c>. Multimodal configs are read from their
    /// <c>text_config</c>.</summary>
    /// <param name="json">The file's text.</param>
    /// <param name="source">Where it came from, named in error messages.</param>
    /// <returns>The config.</returns>
    /// <exception cref="ModelConfigException">The text is not a JSON object or lacks a needed field.</exception>
    public static HfModelConfig Parse(string json, string source)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(source);
        using var document = ParseDocument(json, source);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new ModelConfigException($"Model config '{source}' is not a JSON object. {Fix}");
        }

        // Multimodal checkpoints (Gemma 3, Llava, …) keep the language model's shape under text_config.
        var text = !root.TryGetProperty("num_hidden_layers", out _)
            && root.TryGetProperty("text_config", out var nested)
            && nested.ValueKind == JsonValueKind.Object ? nested : root;
        var modelType = String(text, "model_type") ?? String(root, "model_type");
        string[] required = ["num_hidden_layers", "hidden_size", "num_attention_heads"];
        var missing = required.Where(name => Int(text, name) is not > 0).ToList();
        if (missing.Count > 0)
        {
            throw new ModelConfigException(
                $"Model config '{source}' lacks {string.Join(", ", missing.Select(m => $"'{m}'"))} " +
                $"(positive integers the memory model needs). {Fix}");
        }

        var hidden = Int(text, "hidden_size")!.Value;
        var heads = Int(text, "num_attention_heads")!.Value;
        var headDim = Int(text, "head_dim") ?? (hidden % heads == 0 ? hidden / heads
            : throw new ModelConfigException($"Model config '{source}' has no 'head_dim' and hidden_size {hidden} is "
                + $"not a multiple of num_attention_heads {heads}. Fix: add 'head_dim'."));
        var family = modelType ?? string.Empty;
        return new HfModelConfig
        {
            Source = source,
            ModelType = modelType,
            HiddenSize = hidden,
            Layers = Int(text, "num_hidden_layers")!.Value,
            AttentionHeads = heads,
            KvHeads = Int(text, "num_key_value_heads") ?? heads,
            HeadDim = headDim,
            IntermediateSize = Int(text, "intermediate_size"),
            VocabSize = Int(text, "vocab_size"),
            MaxPositionEmbeddings = Int(text, "max_position_embeddings"),
            TieWordEmbeddings = Bool(text, "tie_word_embeddings") ?? Bool(root, "tie_word_embeddings")
                ?? family.StartsWith("gemma", StringComparison.Ordinal),
            AttentionBias = Bool(text, "attention_bias") ?? family.StartsWith("qwen2", StringComparison.Ordinal),
            StoredDtype = Dtypes.FromTorch(
                String(text, "torch_dtype") ?? String(root, "torch_dtype") ?? String(root, "dtype")),
            NumParameters = Long(root, "num_parameters"),
        };
    }

    private static JsonDocument ParseDocument(string json, string source)
    {
        try
        {
            return JsonDocument.Parse(json,
                new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException e)
        {
            throw new ModelConfigException($"Model config '{source}' is not valid JSON: {e.Message} {Fix}", e);
        }
    }

    private static long ReadSafetensorsTotal(string index)
    {
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(index));
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("metadata", out var metadata)
                && metadata.ValueKind == JsonValueKind.Object
                && Long(metadata, "total_size") is > 0 and var total)
            {
                return total;
            }
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException)
        {
            throw new ModelConfigException($"Cannot read '{index}': {e.Message} Fix: repair or delete the file (the "
                + "parameter count is then estimated from config.json).", e);
        }

        throw new ModelConfigException($"'{index}' has no positive metadata.total_size. Fix: repair or delete the file "
            + "(the parameter count is then estimated from config.json).");
    }

    private static int? Int(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number
            && value.TryGetInt32(out var n) ? n : null;

    private static long? Long(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number
            && value.TryGetInt64(out var n) ? n : null;

    private static bool? Bool(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind is JsonValueKind.True or JsonValueKind.False
            ? value.GetBoolean() : null;

    private static string? String(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString() : null;
}

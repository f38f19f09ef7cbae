namespace Hearth.Core.Memory;

/// <summary>Where a model's parameter count came from.</summary>
public enum ParameterSource
{
    /// <summary>An explicit <c>num_parameters</c> in <c>config.json</c>.</summary>
    Config,

    /// <summary><c>metadata.total_size</c> of <c>model.safetensors.index.json</c> next to <c>config.json</c>, divided
    /// by the stored dtype's size.</summary>
    Safetensors,

    /// <summary>Estimated from the architecture (see <see cref="HfModelConfig.EstimateParameters"/>).</summary>
    Estimated,
}

/// <summary>
/// The parts of a Hugging Face <c>config.json</c> the memory model reads (Llama, Mistral, Qwen and Gemma families, and
/// any decoder-only transformer that uses the same field names).
/// </summary>
public sealed partial record HfModelConfig
{
    /// <summary>Where the config was read from (a path or a label), for error messages.</summary>
    public required string Source { get; init; }

    /// <summary><c>model_type</c>, e.g. <c>llama</c>; null when absent.</summary>
    public string? ModelType { get; init; }

    /// <summary><c>hidden_size</c>: the model width.</summary>
    public required int HiddenSize { get; init; }

    /// <summary><c>num_hidden_layers</c>.</summary>
    public required int Layers { get; init; }

    /// <summary><c>num_attention_heads</c>.</summary>
    public required int AttentionHeads { get; init; }

    /// <summary><c>num_key_value_heads</c>; equals <see cref="AttentionHeads"/> when the config omits it (multi-head
    /// attention).</summary>
    public required int KvHeads { get; init; }

    /// <summary><c>head_dim</c>, or <c>hidden_size / num_attention_heads</c> when the config omits it.</summary>
    public required int HeadDim { get; init; }

    /// <summary><c>intermediate_size</c>: the MLP width; needed only to estimate the parameter count.</summary>
    public int? IntermediateSize { get; init; }

    /// <summary><c>vocab_size</c>; needed only to estimate the parameter count.</summary>
    public int? VocabSize { get; init; }

    /// <summary><c>max_position_embeddings</c>: the longest context; the default session length.</summary>
    public int? MaxPositionEmbeddings { get; init; }

    /// <summary>
    /// <c>tie_word_embeddings</c>: whether the output head shares the input embedding matrix. When the config omits
    /// it, Hugging Face's per-family default applies: true for Gemma, false for Llama, Mistral and Qwen.
    /// </summary>
    public bool TieWordEmbeddings { get; init; }

    /// <summary><c>attention_bias</c> (or Qwen2's implicit q/k/v biases): adds bias vectors to the estimate.</summary>
    public bool AttentionBias { get; init; }

    /// <summary><c>torch_dtype</c> mapped to a Hearth dtype (<c>bfloat16</c> → <c>bf16</c>); the stored weights'
    /// dtype.</summary>
    public string? StoredDtype { get; init; }

    /// <summary>An explicit <c>num_parameters</c>, when the config carries one.</summary>
    public long? NumParameters { get; init; }

    /// <summary><c>metadata.total_size</c> from <c>model.safetensors.index.json</c> next to the config, in
    /// bytes.</summary>
    public long? SafetensorsTotalBytes { get; init; }

    /// <summary>The parameter count and where it came from: <c>num_parameters</c>, else the safetensors total, else an
    /// estimate.</summary>
    /// <returns>The count and its source.</returns>
    /// <exception cref="ModelConfigException">No explicit count and a field the estimate needs is missing.</exception>
    public (long Count, ParameterSource Source) Parameters()
    {
        if (NumParameters is { } explicitCount)
        {
            return (explicitCount, ParameterSource.Config);
        }

        if (SafetensorsTotalBytes is { } total)
        {
            // Safetensors hold the weights in the checkpoint's dtype (torch_dtype); bf16 is what nearly every
            // published checkpoint uses, so it is the assumption when the config does not say.
            var bits = Dtypes.Bits(StoredDtype ?? "bf16");
            return (total * 8 / bits, ParameterSource.Safetensors);
        }

        return (EstimateParameters(), ParameterSource.Estimated);
    }

    /// <summary>
    /// Estimates the parameter count of a decoder-only transformer with a gated MLP (SwiGLU/GeGLU, as in Llama,
    /// Mistral, Qwen and Gemma), with h = hidden_size, q = heads × head_dim, kv = kv_heads × head_dim,
    /// i = intermediate_size, V = vocab_size, L = layers:
    /// <code>
    /// embeddings = V × h × (tie_word_embeddings ? 1 : 2)
    /// per layer  = h × q (q_proj) + 2 × h × kv (k_proj, v_proj) + q × h (o_proj)
    ///            + 3 × h × i (gate, up, down)
    ///            + 2 × h (the two RMSNorms) [+ q + 2 × kv when attention_bias]
    /// total      = embeddings + L × per layer + h (final norm)
    /// </code>
    /// Llama-3-8B comes out at 8.03 B and Llama-3-70B at 70.6 B, the published figures.
    /// </summary>
    /// <returns>The estimated parameter count.</returns>
    /// <exception cref="ModelConfigException"><c>vocab_size</c> or <c>intermediate_size</c> is missing.</exception>
    public long EstimateParameters()
    {
        long vocab = VocabSize ?? throw Missing("vocab_size");
        long intermediate = IntermediateSize ?? throw Missing("intermediate_size");
        long h = HiddenSize;
        long q = (long)AttentionHeads * HeadDim;
        long kv = (long)KvHeads * HeadDim;
        var embeddings = vocab * h * (TieWordEmbeddings ? 1 : 2);
        var attention = (h * q) + (2 * h * kv) + (q * h) + (AttentionBias ? q + (2 * kv) : 0);
        var mlp = 3 * h * intermediate;
        var norms = 2 * h;
        return checked(embeddings + (Layers * (attention + mlp + norms)) + h);
    }

    private ModelConfigException Missing(string field) => new(
        $"Model config '{Source}' has no '{field}', which estimating the parameter count needs. " +
        $"Fix: add '{field}' from the model card, add an explicit 'num_parameters', or put the model's " +
        "model.safetensors.index.json next to config.json.");
}

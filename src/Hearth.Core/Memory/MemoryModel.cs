using Hearth.Core.Endpoints;

namespace Hearth.Core.Memory;

/// <summary>
/// Sizes a model's worker in GPU memory (DESIGN.md §6): weights = parameters × bytes(dtype); KV per token =
/// 2 × layers × kv_heads × head_dim × bytes(kv dtype); session peak = KV per token × max context; reservation =
/// weights + concurrency × session peak + <see cref="RuntimeOverheadBytes"/>. Placement starts a worker only on a GPU
/// that holds the whole reservation, so a session never starts on a GPU it will outgrow.
/// </summary>
public static partial class MemoryModel
{
    /// <summary>Bytes in a GiB (2^30).</summary>
    public const long GiB = 1L << 30;

    /// <summary>
    /// Fixed per-worker overhead on top of weights and KV cache: 1.5 GiB. It covers the CUDA context and kernels
    /// (≈ 0.5–1 GiB on recent drivers), activations and sampling buffers of one forward pass, and allocator
    /// fragmentation slack. Inference servers show the same gap between nvidia-smi and weights + KV: vLLM leaves
    /// 10 % of memory unused by default, which on a 24 GB card is about this much.
    /// </summary>
    public const long RuntimeOverheadBytes = 3 * GiB / 2;

    /// <summary>Estimates the memory one worker needs.</summary>
    /// <param name="config">The model config.</param>
    /// <param name="dtype">Weights dtype (one of <see cref="EndpointLimits.Dtypes"/>).</param>
    /// <param name="kvDtype">KV cache dtype; null means <paramref name="dtype"/>.</param>
    /// <param name="maxContext">Longest context a session reaches; null means the model's
    /// <c>max_position_embeddings</c>.</param>
    /// <param name="concurrency">Sessions one worker serves at once (at least 1).</param>
    /// <returns>The estimate.</returns>
    /// <exception cref="ArgumentException">An unknown dtype, or a context or concurrency below 1.</exception>
    /// <exception cref="ModelConfigException">The config lacks a field the estimate needs.</exception>
    public static MemoryEstimate Estimate(
        HfModelConfig config, string dtype, string? kvDtype, int? maxContext, int concurrency)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(dtype);
        ArgumentOutOfRangeException.ThrowIfLessThan(concurrency, 1);
        if (maxContext is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(maxContext), maxContext,
                "The context must be at least 1 token.");
        }

        var kv = kvDtype ?? dtype;
        _ = Dtypes.Bits(dtype); // an unknown dtype fails before the config is examined
        var kvBits = Dtypes.Bits(kv);
        var context = maxContext ?? config.MaxPositionEmbeddings ?? throw new ModelConfigException(
            $"Model config '{config.Source}' has no 'max_position_embeddings'. Fix: give the context explicitly "
            + "(--context or model.max_context).");
        var (parameters, source) = config.Parameters();

        var weights = Dtypes.SizeOf(parameters, dtype);
        var kvPerToken = checked(((2L * config.Layers * config.KvHeads * config.HeadDim * kvBits) + 7) / 8);
        var sessionPeak = checked(kvPerToken * context);
        var reservation = checked(weights + (concurrency * sessionPeak) + RuntimeOverheadBytes);
        return new MemoryEstimate(config, parameters, source, dtype, kv, context, concurrency,
            weights, kvPerToken, sessionPeak, RuntimeOverheadBytes, reservation);
    }

    /// <summary>Estimates the memory one worker of an endpoint's <c>model</c> needs.</summary>
    /// <param name="spec">The endpoint's model spec.</param>
    /// <param name="baseDirectory">Directory that a relative <see cref="ModelSpec.Config"/> is resolved
    /// against.</param>
    /// <returns>The estimate.</returns>
    /// <exception cref="ModelConfigException">The config is missing, unreadable or lacks a needed field.</exception>
    public static MemoryEstimate Estimate(ModelSpec spec, string baseDirectory)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(baseDirectory);
        var config = HfModelConfig.Load(Path.Combine(baseDirectory, spec.Config));
        return Estimate(config, spec.Dtype, spec.KvDtype, spec.MaxContext, spec.Concurrency);
    }
}

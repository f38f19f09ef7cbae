namespace Hearth.Core.Memory;

/// <summary>The GPU memory one worker serving a model needs, with the inputs that produced it. All sizes in
/// bytes.</summary>
/// <param name="Config">The model config.</param>
/// <param name="Parameters">The parameter count.</param>
/// <param name="ParameterSource">Where <paramref name="Parameters"/> came from.</param>
/// <param name="Dtype">Weights dtype.</param>
/// <param name="KvDtype">KV cache dtype.</param>
/// <param name="MaxContext">Longest context a session reaches, in tokens.</param>
/// <param name="Concurrency">Sessions one worker serves at once.</param>
/// <param name="WeightsBytes">Parameters × bytes(dtype).</param>
/// <param name="KvBytesPerToken">2 (K and V) × layers × kv_heads × head_dim × bytes(kv dtype).</param>
/// <param name="SessionPeakBytes">KV bytes per token × max context: a session's KV cache when its context is
/// full.</param>
/// <param name="RuntimeOverheadBytes">The fixed per-worker overhead
/// (<see cref="MemoryModel.RuntimeOverheadBytes"/>).</param>
/// <param name="ReservationBytes">Weights + concurrency × session peak + runtime overhead.</param>
public sealed record MemoryEstimate(
    HfModelConfig Config,
    long Parameters,
    ParameterSource ParameterSource,
    string Dtype,
    string KvDtype,
    int MaxContext,
    int Concurrency,
    long WeightsBytes,
    long KvBytesPerToken,
    long SessionPeakBytes,
    long RuntimeOverheadBytes,
    long ReservationBytes);

/// <summary>How a worker's reservation fits one GPU type.</summary>
/// <param name="Gpu">The GPU type.</param>
/// <param name="VramBytes">Its memory in bytes (<see cref="MemoryModel.VramBytes"/>).</param>
/// <param name="Fits">Whether the whole reservation at the requested concurrency fits one card.</param>
/// <param name="MaxSessions">
/// Full-context sessions one card holds: floor((VRAM − weights − overhead) / session peak), at least 0.
/// </param>
/// <param name="HeadroomBytes">VRAM − reservation at the requested concurrency; negative when it does not
/// fit.</param>
public sealed record GpuFit(Endpoints.GpuTypeInfo Gpu, long VramBytes, bool Fits, int MaxSessions, long HeadroomBytes);

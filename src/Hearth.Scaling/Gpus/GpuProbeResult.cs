using Hearth.Core.Placement;

namespace Hearth.Scaling.Gpus;

/// <summary>What a GPU probe found on this machine.</summary>
/// <param name="Gpus">The GPUs found; empty when there are none or the probe failed.</param>
/// <param name="Problem">Why there are no (or fewer) GPUs than expected, for the operator; null when all went
/// well.</param>
public sealed record GpuProbeResult(IReadOnlyList<GpuDevice> Gpus, string? Problem);

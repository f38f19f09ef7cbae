using Hearth.Core.Endpoints;

namespace Hearth.Core.Placement;

/// <summary>A worker waiting for a place to run.</summary>
/// <param name="WorkerId">The worker to place.</param>
/// <param name="Spec">Its endpoint: GPU types in priority order (or <c>any</c>), <c>gpu_count</c>, data center and
/// volume.</param>
/// <param name="BytesPerGpu">
/// The worker's VRAM reservation on each of its cards (weights + sessions' peak KV cache + overhead, from the
/// endpoint's model). Null when the endpoint declares no model: the worker then holds each card whole, since
/// nothing says how much it will use.
/// </param>
public sealed record PlacementRequest(string WorkerId, EndpointSpec Spec, long? BytesPerGpu = null);

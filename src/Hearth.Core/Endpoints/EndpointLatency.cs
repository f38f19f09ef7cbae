namespace Hearth.Core.Endpoints;

/// <summary>
/// How sensitive an endpoint's callers are to queue latency; it picks the seed's worker minimum (the
/// <c>workers=(0|1|3, n)</c> table) and how strictly <c>hearth lint</c> treats an unpinned GPU.
/// </summary>
public enum EndpointLatency
{
    /// <summary>A real-time API: users wait on every request, so three workers stay warm
    /// (<c>workers=(3, n)</c>).</summary>
    Realtime,

    /// <summary>The default: user-facing but tolerant of a short wait; one worker stays warm
    /// (<c>workers=(1, n)</c>).</summary>
    Interactive,

    /// <summary>Offline work where queue latency is acceptable; scaling to zero is fine
    /// (<c>workers=(0, n)</c>).</summary>
    Batch,
}

namespace Hearth.Core.Endpoints;

/// <summary>
/// How a <c>command:</c> worker gets its jobs (<c>protocol:</c> in <c>hearth.yaml</c>; see docs/workers.md).
/// </summary>
public enum WorkerProtocol
{
    /// <summary>
    /// The default: pull until the workers show what they are (<see cref="ProtocolDetection"/>), then push when they
    /// turn out to be runpod-python serving one job at a time without streaming, else stay on pull.
    /// </summary>
    Auto,

    /// <summary>The worker pulls jobs itself (job-take), as on Runpod.</summary>
    Pull,

    /// <summary>
    /// Hearth runs a bridge that pulls for the worker and pushes each job to the runpod-python SDK's realtime server
    /// (<c>RUNPOD_REALTIME_PORT</c>); a stop restarts the worker process.
    /// </summary>
    Push,
}

using System.Collections.Concurrent;
using Hearth.Core.Endpoints;

namespace Hearth.Server.Scheduling;

/// <summary>
/// What the workers of each endpoint showed about themselves (<see cref="ProtocolDetection"/>): the worker routes
/// report what they see, the <see cref="Scheduler"/> settles <see cref="WorkerProtocol.Auto"/> endpoints on it. The
/// first sign per endpoint decides; it is kept in this control plane's memory, so each start detects anew from the
/// first result its workers post.
/// </summary>
public sealed class ProtocolDetector
{
    private readonly ConcurrentDictionary<string, (WorkerProtocol Protocol, string Reason)> _decided =
        new(StringComparer.Ordinal);

    /// <summary>Reports what a worker request showed; only the first report of an endpoint counts.</summary>
    public void Saw(string endpoint, ProtocolDetection.Sign sign, string? userAgent)
    {
        if (!_decided.ContainsKey(endpoint))
        {
            _decided.TryAdd(endpoint, ProtocolDetection.Decide(sign, userAgent));
        }
    }

    /// <summary>The protocol the endpoint's workers showed it can use, with why; null before any sign.</summary>
    public (WorkerProtocol Protocol, string Reason)? Decision(string endpoint) =>
        _decided.TryGetValue(endpoint, out var decided) ? decided : null;
}

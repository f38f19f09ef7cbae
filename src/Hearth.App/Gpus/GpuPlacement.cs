using System.Collections.Concurrent;
using Hearth.Core.Endpoints;
using Hearth.Core.Placement;
using Hearth.Core.Wire;

namespace Hearth.App.Gpus;

/// <summary>
/// Places this host's GPU workers on its cards, VRAM-aware (<see cref="Placer"/>): a worker starts only on cards whose
/// free VRAM holds its whole reservation; otherwise it is not started and its endpoint shows <c>Throttled</c> with the
/// reason. With no GPU and no declared inventory, dev runs GPU endpoints on CPU instead (<see cref="CpuFallback"/>).
/// </summary>
internal sealed class GpuPlacement(NodeInventory node, bool cpuFallback)
{
    private readonly ConcurrentDictionary<string, GpuReservation> _reservations = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _throttled = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    /// <summary>The node's inventory.</summary>
    public NodeInventory Node => node;

    /// <summary>True when this machine has no GPU and none was declared: GPU endpoints run on CPU (dev only).</summary>
    public bool CpuFallback => cpuFallback;

    /// <summary>
    /// The environment a worker needs for its placement, or throws <see cref="PlacementThrottledException"/>.
    /// </summary>
    public IReadOnlyDictionary<string, string> Place(string workerId, EndpointSpec spec, long? bytesPerGpu)
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        if (spec.IsCpu || cpuFallback)
        {
            WorkerEnvironment.AddGpus(env, [], []); // no card visible
            if (!spec.IsCpu)
            {
                env[WorkerVariables.GpuFallback] = "cpu";
            }

            return env;
        }

        PlacementResult result;
        lock (_gate)
        {
            result = Placer.Place(new PlacementRequest(workerId, spec, bytesPerGpu), [node], [.. _reservations.Values]);
            if (result is Placed { Reservation: { } reservation })
            {
                _reservations[workerId] = reservation;
            }
        }

        if (result is Throttled throttled)
        {
            _throttled[spec.Name] = throttled.Reason;
            throw new PlacementThrottledException(throttled.Reason);
        }

        _throttled.TryRemove(spec.Name, out _);
        var placed = (Placed)result;
        WorkerEnvironment.AddGpus(env, placed.GpuIndexes,
            [.. placed.GpuIndexes.Select(i => node.Gpus.First(g => g.Index == i).Name)]);
        return env;
    }

    /// <summary>Frees a worker's cards (it exited).</summary>
    public void Release(string workerId) => _reservations.TryRemove(workerId, out _);

    /// <summary>
    /// GPU memory reserved by <paramref name="workerIds"/> (whole cards count their full VRAM), for the VRAM gauge.
    /// </summary>
    public long ReservedBytes(IEnumerable<string> workerIds) => workerIds.Sum(id =>
        _reservations.TryGetValue(id, out var r)
        ? r.GpuIndexes.Sum(i => r.BytesPerGpu ?? node.Gpus.FirstOrDefault(g => g.Index == i)?.TotalBytes ?? 0)
        : 0);

    /// <summary>Why the endpoint's last worker could not be placed, while that is so.</summary>
    public string? ThrottledReason(string endpoint) => _throttled.GetValueOrDefault(endpoint);

    /// <summary>The cards a worker holds, for the admin API.</summary>
    public string? GpusOf(string workerId) =>
        _reservations.TryGetValue(workerId, out var r)
            ? string.Join(", ", r.GpuIndexes.Select(i => $"{i}: {node.Gpus.First(g => g.Index == i).Name}"))
            : null;
}

/// <summary>No GPU on this host can hold the worker; the message is the reason shown on the endpoint.</summary>
internal sealed class PlacementThrottledException(string reason) : Exception(reason);

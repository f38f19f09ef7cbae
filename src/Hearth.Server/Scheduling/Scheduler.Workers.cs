using Hearth.Core.Endpoints;
using Hearth.Core.Scaling;
using Hearth.Store.Jobs;

namespace Hearth.Server.Scheduling;

/// <summary>How workers leave, as the scheduler sees it: exits (crash loops, the jobs a dead worker held),
/// runaway kills, and the pull workers an <c>auto</c> endpoint replaces when it settles on push.</summary>
public sealed partial class Scheduler
{
    /// <summary>A worker whose process ended holds no job any more: what the store still counts as its runs again
    /// now (a drained worker held none).</summary>
    private async Task LoseJobsAsync(FleetExit exit, CancellationToken cancellationToken)
    {
        if (_jobs is null)
        {
            return;
        }

        var how = exit.Requested
            ? "its process was stopped"
            : $"its process exited with code {exit.ExitCode}"
                + (exit.LastLines.Count > 0 ? ": " + exit.LastLines[^1] : string.Empty);
        var lost = await _jobs.WorkerGoneAsync(exit.Endpoint, exit.WorkerId, how, cancellationToken)
            .ConfigureAwait(false);
        if (lost > 0)
        {
            Log.JobsLost(_logger, exit.Endpoint, exit.WorkerId, lost);
        }
    }

    private void Exited(FleetExit exit, DateTimeOffset now)
    {
        if (!_endpoints.TryGetValue(exit.Endpoint, out var endpoint))
        {
            return;
        }

        var wasUnhealthy = endpoint.Crashes.Unhealthy is not null;
        endpoint.Exited(exit, now, _options.Restarts);
        if (exit.Requested)
        {
            return;
        }

        var last = exit.LastLines.Count > 0 ? $". Last output: {exit.LastLines[^1]}" : string.Empty;
        Log.Crashed(_logger, exit.Endpoint, exit.WorkerId, exit.ExitCode,
            (endpoint.Crashes.NotBefore - now).TotalSeconds, last);
        if (!wasUnhealthy && endpoint.Crashes.Unhealthy is { } reason)
        {
            Log.Unhealthy(_logger, exit.Endpoint, reason);
        }
    }

    /// <summary>
    /// A <c>protocol: auto</c> endpoint settles once its workers showed what they are (<see cref="ProtocolDetector"/>):
    /// on push, its pull workers are stopped (each finishes what it runs) and the scaling that follows starts push
    /// workers in their place; on pull, nothing changes.
    /// </summary>
    private async Task SettleProtocolAsync(EndpointWorkers endpoint, List<FleetWorker> workers,
        CancellationToken cancellationToken)
    {
        var spec = endpoint.Endpoint.Spec;
        if (_detector is null || spec.Protocol != WorkerProtocol.Auto || spec.Command is null
            || endpoint.Settled is not null || _detector.Decision(spec.Name) is not { } decided)
        {
            return;
        }

        endpoint.Settled = decided.Protocol;
        Log.ProtocolSettled(_logger, spec.Name, decided.Protocol.ToString().ToLowerInvariant(), decided.Reason);
        if (decided.Protocol != WorkerProtocol.Push)
        {
            return;
        }

        foreach (var pulling in workers.Where(w => w.Endpoint == spec.Name && w.Leaving is null).ToList())
        {
            endpoint.Stopping(pulling.WorkerId);
            workers.Remove(pulling);
            await _provider.StopAsync(pulling.WorkerId, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Kills each worker past the <see cref="RunawayRule"/>; its replacement is placed at once.</summary>
    private async Task KillRunawaysAsync(EndpointWorkers endpoint, EndpointView view, List<FleetWorker> workers,
        CancellationToken cancellationToken)
    {
        foreach (var runaway in view.Runaways)
        {
            var i = workers.FindIndex(w => w.WorkerId == runaway.WorkerId && w.Leaving is null);
            if (i < 0
                || RunawayRule.KillReason(runaway.JobId, runaway.StopIssuedMs, runaway.LastReportedMs) is not { } why
                || !await _provider.KillAsync(runaway.WorkerId, why, cancellationToken).ConfigureAwait(false))
            {
                continue;
            }

            workers[i] = workers[i] with { Leaving = why };
            endpoint.Killed(runaway.WorkerId, why);
            Log.Killed(_logger, workers[i].Endpoint, runaway.WorkerId, workers[i].Node, why);
        }
    }
}

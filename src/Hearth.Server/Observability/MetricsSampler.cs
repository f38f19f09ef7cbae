using Hearth.Server.Admin;
using Hearth.Server.Jobs;
using Hearth.Store;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Hearth.Server.Observability;

/// <summary>Every <see cref="Interval"/> reads each endpoint's view and worker states for the gauges of <see
/// cref="HearthMetrics"/>.</summary>
public sealed partial class MetricsSampler(
    JobService jobs, IEndpointStore store, TimeProvider time, HearthMetrics metrics, IServiceProvider services,
    ILogger<MetricsSampler> logger) : BackgroundService
{
    /// <summary>How often gauges are refreshed: 2 s.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);

    private static readonly string[] States = ["Initializing", "Idle", "Running", "Draining", "Unhealthy", "Stopped"];

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        try
        {
            do
            {
                await SampleOnceAsync(stoppingToken).ConfigureAwait(false);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    /// <summary>One pass over every endpoint; public so tests can drive it.</summary>
    public async Task SampleOnceAsync(CancellationToken cancellationToken = default)
    {
        var directory = services.GetService<IWorkerDirectory>();
        foreach (var endpoint in jobs.EndpointNames)
        {
            try
            {
                var view = await store.ViewAsync(endpoint, cancellationToken).ConfigureAwait(false);
                var byState = States.ToDictionary(s => s, _ => 0L, StringComparer.Ordinal);
                var described = directory?.Describe(endpoint);
                if (described is not null)
                {
                    foreach (var w in described.Workers)
                    {
                        byState[w.State] = byState.GetValueOrDefault(w.State) + 1;
                    }
                }
                else
                {
                    foreach (var w in view.LastSeenMs.Where(w => jobs.IsPresent(w.Value)))
                    {
                        var state = view.Holding.ContainsKey(w.Key) ? "Running" : "Idle";
                        byState[state]++;
                    }
                }

                metrics.Sampled(new EndpointGauges(endpoint, view.InQueue, view.InQueueLowPriority, view.InProgress,
                    byState, described?.VramReservedBytes ?? 0));
            }
            catch (Exception e) when (StoreFaults.IsStoreFailure(e))
            {
                LogSampleFailed(logger, endpoint, e);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Debug,
        Message = "Metrics sample of {Endpoint} failed; the store is unreachable or slow.")]
    private static partial void LogSampleFailed(ILogger logger, string endpoint, Exception exception);
}

using Hearth.Server.Hosting;
using Hearth.Server.Observability;
using Hearth.Server.Webhooks;
using Hearth.Store;
using Hearth.Store.Jobs;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Hearth.Server.Jobs;

/// <summary>
/// Every <c>SweepInterval</c> (default 1 s) applies the deadlines the store keeps: expired leases are requeued (or
/// FAILED past the worker-lost cap), jobs past their execution timeout become TIMED_OUT and their workers are told to
/// stop, TTL and retention delete jobs; <see cref="JobService"/> applies what changed. It never waits on webhook
/// delivery: final states with a webhook wait in the store's outbox, and a sweep only wakes <see
/// cref="WebhookDispatcher"/>.
/// </summary>
public sealed partial class JobSweeper(
    JobService jobs, IEndpointStore store, WebhookWakeup webhooks, TimeProvider time,
    IOptions<HearthServerOptions> options, ILogger<JobSweeper> logger, TimeoutDiagnosis? diagnosis = null)
    : BackgroundService
{
    private const int Batch = 1000;

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.SweepInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                await SweepOnceAsync(stoppingToken, leadersOnly: true).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    /// <summary>One pass over every endpoint; public so tests can drive it without a timer.</summary>
    /// <param name="cancellationToken">Stops the pass.</param>
    /// <param name="leadersOnly">
    /// Sweep only the endpoints this replica leads: with several replicas on one store, each endpoint's sweeper runs on
    /// one of them at a time (a lease of five sweep intervals, at least 5 s; another replica takes over within one
    /// lease).
    /// </param>
    public async Task SweepOnceAsync(CancellationToken cancellationToken = default, bool leadersOnly = false)
    {
        var settings = options.Value;
        var limits = new SweepLimits(settings.MaxWorkerLost, Batch);
        var lease = TimeSpan.FromTicks(Math.Max(settings.SweepInterval.Ticks * 5, TimeSpan.FromSeconds(5).Ticks));
        foreach (var endpoint in jobs.EndpointNames)
        {
            try
            {
                if (leadersOnly && await store
                    .TryLeadAsync("sweeper:" + endpoint, settings.ReplicaId, lease, cancellationToken)
                    .ConfigureAwait(false) == 0)
                {
                    continue;
                }

                var now = jobs.NowMs;

                // Noted before the sweep, which writes the note as the error in the step that times the job out.
                var noted = diagnosis is null
                    ? null : await diagnosis.DiagnoseDueAsync(endpoint, now, cancellationToken).ConfigureAwait(false);
                var result = await store.SweepAsync(endpoint, now, limits, cancellationToken).ConfigureAwait(false);
                if (noted is { Count: > 0 })
                {
                    await diagnosis!.MarkHungAsync(noted, result.Finalized, cancellationToken).ConfigureAwait(false);
                }

                if (!result.IsEmpty)
                {
                    LogSwept(logger, endpoint, result.Requeued.Count, result.Finalized.Count, result.Deleted.Count);
                    jobs.Swept(endpoint, result);
                }
            }
            catch (Exception e) when (StoreFaults.IsStoreFailure(e))
            {
                LogSweepFailed(logger, endpoint, e);
            }
        }

        webhooks.Poke();
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Sweep of {Endpoint}: {Requeued} requeued after a lost worker, {Finalized} finalized (timed out or "
            + "lost too often), {Deleted} deleted (TTL or retention)")]
    private static partial void LogSwept(ILogger logger, string endpoint, int requeued, int finalized, int deleted);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Sweep of {Endpoint} failed; the store is unreachable or slow. Retrying on the next tick.")]
    private static partial void LogSweepFailed(ILogger logger, string endpoint, Exception exception);
}

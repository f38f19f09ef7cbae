using System.Buffers;
using System.Collections.Concurrent;
using System.Text.Json;
using Hearth.Core.Jobs;
using Hearth.Server.Api;
using Hearth.Server.Jobs;
using Hearth.Store;
using Hearth.Store.Jobs;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly.CircuitBreaker;
using Polly.RateLimiting;

namespace Hearth.Server.Webhooks;

/// <summary>
/// Delivers one POST of the final status body per final state (spec §1.8), at least once: it claims deliveries from
/// the store's outbox (a claim never settled comes back to any replica), sends each through its target's <see
/// cref="WebhookTargets"/> pipeline (per-target concurrency and circuit breaker) with <see cref="WebhookSender"/>
/// (signed, SSRF-guarded), and settles it: delivered, refused, or put back <see cref="WebhookOptions.RetryDelay"/>
/// later until <see cref="WebhookOptions.MaxAttempts"/> attempts failed. Nothing else waits on it: the sweeper only
/// wakes it. A store error ends one pass, never the loop.
/// </summary>
public sealed partial class WebhookDispatcher(
    JobService jobs, IHearthStore store, WebhookSender sender, WebhookTargets targets, WebhookWakeup wakeup,
    TimeProvider time, IOptions<WebhookOptions> options, Audit.Auditor audit, ILogger<WebhookDispatcher> logger)
    : BackgroundService
{
    private static readonly TimeSpan LongestBackoff = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<Task, byte> _running = new();
    private int _inFlight;
    private int _next;

    /// <summary>Deliveries in flight now.</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    // A delivery holds its claim through one attempt; past this, another pass may claim it again.
    private TimeSpan ClaimFor => options.Value.RequestTimeout + TimeSpan.FromMinutes(1);

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            var wait = options.Value.PollInterval;
            try
            {
                await DispatchOnceAsync(stoppingToken).ConfigureAwait(false);
                failures = 0;
            }
            catch (Exception e) when (StoreFaults.IsStoreFailure(e) && !stoppingToken.IsCancellationRequested)
            {
                failures++;
                wait = Backoff(failures);
                LogClaimFailed(logger, wait, e);
            }

            try
            {
                await wakeup.WaitAsync(wait, time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
        }

        // Deliveries cut short stay claimed in the store and are delivered again once their claim runs out.
        await Task.WhenAll(_running.Keys).ConfigureAwait(false);
    }

    /// <summary>
    /// Claims what fits in the free capacity, endpoint by endpoint (starting one further each pass), and starts
    /// delivering it; returns how many deliveries it started. Public so tests can drive it without a timer.
    /// </summary>
    public async Task<int> DispatchOnceAsync(CancellationToken cancellationToken = default)
    {
        var endpoints = jobs.EndpointNames.ToArray();
        var started = 0;
        var first = endpoints.Length == 0 ? 0 : Interlocked.Increment(ref _next) % endpoints.Length;
        for (var i = 0; i < endpoints.Length; i++)
        {
            var free = options.Value.MaxConcurrentDeliveries - InFlight;
            if (free <= 0)
            {
                break;
            }

            var endpoint = endpoints[(first + i) % endpoints.Length];
            var claims = await store.ClaimWebhooksAsync(endpoint, jobs.NowMs, free, ClaimFor, cancellationToken)
                .ConfigureAwait(false);
            foreach (var claim in claims)
            {
                Interlocked.Increment(ref _inFlight);
                var delivery = DeliverAsync(endpoint, claim, cancellationToken);
                _running.TryAdd(delivery, 0);
                _ = delivery.ContinueWith(
                    (t, self) => ((ConcurrentDictionary<Task, byte>)self!).TryRemove(t, out _), _running,
                    CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
                started++;
            }
        }

        return started;
    }

    private static TimeSpan Backoff(int failures) =>
        TimeSpan.FromMilliseconds(Math.Min(LongestBackoff.TotalMilliseconds, 500 * Math.Pow(2, failures - 1)));

    private async Task DeliverAsync(string endpoint, WebhookClaim claim, CancellationToken cancellationToken)
    {
        await Task.Yield();
        try
        {
            var (retryAt, attempts) = await AttemptAsync(endpoint, claim, cancellationToken).ConfigureAwait(false);
            await store.SettleWebhookAsync(endpoint, claim.JobId, retryAt, attempts, cancellationToken)
                .ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutting down; the claim runs out and another pass delivers it.
        }
        catch (Exception e) when (StoreFaults.IsStoreFailure(e))
        {
            LogDeliveryStoreFailed(logger, endpoint, claim.JobId, e);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Never a reason to stop delivering others: this one is claimed again once its claim runs out.
            LogDeliveryFailed(logger, endpoint, claim.JobId, e);
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
            wakeup.Poke();
        }
    }

    /// <summary>One attempt; returns when to try again (null: over) and the attempts made.</summary>
    private async Task<(long? RetryAt, int Attempts)> AttemptAsync(
        string endpoint, WebhookClaim claim, CancellationToken cancellationToken)
    {
        var job = await store.GetAsync(endpoint, claim.JobId, cancellationToken).ConfigureAwait(false);
        if (job?.Webhook is null || !JobStatus.IsFinal(job.Status))
        {
            // Deleted, or queued again by a retry: its next final state is a delivery of its own.
            return (null, claim.Attempts);
        }

        // One id per final state: a retried job that finishes again is a new delivery.
        var webhookId = $"msg_{job.Id}_{job.Attempt}_{job.Status}";
        var attempt = claim.Attempts + 1;
        var settings = options.Value;
        try
        {
            var body = Body(job);
            var result = await targets.For(job.Webhook).ExecuteAsync(
                async token => await sender.AttemptAsync(job.Webhook, webhookId, body, token).ConfigureAwait(false),
                cancellationToken).ConfigureAwait(false);
            switch (result.Outcome)
            {
                case WebhookDeliveryOutcome.Delivered:
                    LogDelivered(logger, webhookId, attempt, result.LastStatusCode ?? 0);
                    return (null, attempt);
                case WebhookDeliveryOutcome.Refused:
                    await audit.RecordAsync("webhook.refused", "dispatcher", null, TargetHost(job.Webhook),
                        $"job {job.Id}: {result.Reason}", CancellationToken.None).ConfigureAwait(false);
                    return (null, claim.Attempts);
            }

            if (attempt >= settings.MaxAttempts)
            {
                LogGaveUp(logger, webhookId, attempt, result.Reason!);
                return (null, attempt);
            }

            LogAttemptFailed(logger, webhookId, attempt, settings.MaxAttempts, result.Reason!, settings.RetryDelay);
            return (jobs.NowMs + (long)settings.RetryDelay.TotalMilliseconds, attempt);
        }
        catch (BrokenCircuitException e)
        {
            // Left alone for now, not an attempt: back after the break, spread so they do not all come at once.
            var wait = e.RetryAfter ?? settings.BreakDuration;
            LogHeldBack(logger, webhookId, TargetOf(job.Webhook), wait);
            return (jobs.NowMs + (long)wait.TotalMilliseconds + Spread(settings.BreakDuration), claim.Attempts);
        }
        catch (RateLimiterRejectedException)
        {
            // The target has its fill in flight: the next pass tries again.
            return (jobs.NowMs + Spread(settings.PollInterval), claim.Attempts);
        }
    }

    private static string TargetOf(string url) => WebhookTargets.KeyOf(url);

    private static long Spread(TimeSpan upTo) => Random.Shared.NextInt64(0, (long)upTo.TotalMilliseconds + 1);

    private static ReadOnlyMemory<byte> Body(JobSnapshot job)
    {
        var body = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(body, new JsonWriterOptions { SkipValidation = true }))
        {
            StatusJson.Write(writer, job);
        }

        return body.WrittenMemory;
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Webhook {WebhookId} was delivered on attempt {Attempt} with HTTP {StatusCode}")]
    private static partial void LogDelivered(ILogger logger, string webhookId, int attempt, int statusCode);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Webhook {WebhookId} attempt {Attempt} of {MaxAttempts} {Failure}; retrying in {RetryDelay}")]
    private static partial void LogAttemptFailed(
        ILogger logger, string webhookId, int attempt, int maxAttempts, string failure, TimeSpan retryDelay);

    [LoggerMessage(Level = LogLevel.Error,
        Message = "Webhook {WebhookId} gave up after {Attempts} attempts; the last one {Failure}")]
    private static partial void LogGaveUp(ILogger logger, string webhookId, int attempts, string failure);

    [LoggerMessage(Level = LogLevel.Debug,
        Message = "Webhook {WebhookId} held back: most deliveries to {Target} failed lately; trying again in {Wait}")]
    private static partial void LogHeldBack(ILogger logger, string webhookId, string target, TimeSpan wait);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Webhook deliveries could not be claimed; the store is unreachable or slow. Retrying in {Wait}.")]
    private static partial void LogClaimFailed(ILogger logger, TimeSpan wait, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Webhook of job {JobId} on {Endpoint} failed unexpectedly; it is "
        + "delivered again once its claim runs out.")]
    private static partial void LogDeliveryFailed(ILogger logger, string endpoint, string jobId, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook of job {JobId} on {Endpoint} could not be settled; "
        + "the store is unreachable or slow. It is delivered again once its claim runs out.")]
    private static partial void LogDeliveryStoreFailed(
        ILogger logger, string endpoint, string jobId, Exception exception);

    /// <summary>The audit log names a refused target by its host only: a URL's path and query may hold a
    /// secret.</summary>
    internal static string TargetHost(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var u) ? u.Host : "(not a URL)";
}

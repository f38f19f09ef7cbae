using Hearth.Store.Jobs;

namespace Hearth.Store;

/// <summary>
/// What the control loops read and do per endpoint: sweep, counters, the scheduler's view, the webhook outbox, and
/// the fenced leadership that lets one replica run each loop. Part of <see cref="IHearthStore"/>.
/// </summary>
public interface IEndpointStore
{
    /// <summary>Applies lease expiry, execution timeouts, TTL and retention deadlines that are due at <paramref
    /// name="nowMs"/>.</summary>
    Task<SweepResult> SweepAsync(
        string endpoint, long nowMs, SweepLimits limits, CancellationToken cancellationToken = default);

    /// <summary>Job and worker counters for <c>/health</c>.</summary>
    Task<EndpointCounters> CountAsync(
        string endpoint, long nowMs, long workerSeenWithinMs, CancellationToken cancellationToken = default);

    /// <summary>What the scheduler decides from: queues, oldest normal job, in-progress count, workers seen and what
    /// they hold.</summary>
    Task<EndpointView> ViewAsync(string endpoint, CancellationToken cancellationToken = default);

    /// <summary>
    /// Claims up to <paramref name="max"/> webhook deliveries of final states: new ones and those due again (a retry
    /// whose time has come, or a claim never settled). A claimed delivery stays in the store until <see
    /// cref="SettleWebhookAsync"/> ends it; unsettled, it is due again <paramref name="claim"/> after
    /// <paramref name="nowMs"/>, so a dispatcher that dies mid-delivery loses nothing (at-least-once).
    /// </summary>
    Task<IReadOnlyList<WebhookClaim>> ClaimWebhooksAsync(
        string endpoint, long nowMs, int max, TimeSpan claim, CancellationToken cancellationToken = default);

    /// <summary>
    /// Ends a claimed delivery (<paramref name="retryAtMs"/> null: delivered, refused or given up) or puts it back,
    /// due at <paramref name="retryAtMs"/>, with <paramref name="attempts"/> made so far.
    /// </summary>
    Task SettleWebhookAsync(
        string endpoint, string jobId, long? retryAtMs, int attempts, CancellationToken cancellationToken = default);

    /// <summary>
    /// Acquires or renews the named leadership for <paramref name="owner"/> for <paramref name="lease"/>. Returns the
    /// fencing
    /// epoch (it grows with every change of leader) while this owner leads, or 0 when another does.
    /// </summary>
    Task<long> TryLeadAsync(string role, string owner, TimeSpan lease, CancellationToken cancellationToken = default);
}

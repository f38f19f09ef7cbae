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

    /// <summary>Pops up to <paramref name="max"/> jobs whose final state has a webhook to deliver.</summary>
    Task<IReadOnlyList<string>> TakeWebhookOutboxAsync(
        string endpoint, int max, CancellationToken cancellationToken = default);

    /// <summary>
    /// Acquires or renews the named leadership for <paramref name="owner"/> for <paramref name="lease"/>. Returns the
    /// fencing
    /// epoch (it grows with every change of leader) while this owner leads, or 0 when another does.
    /// </summary>
    Task<long> TryLeadAsync(string role, string owner, TimeSpan lease, CancellationToken cancellationToken = default);
}

using Hearth.Store.Jobs;
using Hearth.Store.Tests.Fixtures;
using Xunit.Sdk;

namespace Hearth.Store.Tests.Conformance;

/// <summary>The kit must fail against a store that breaks its promises, or it proves nothing.</summary>
public sealed class BrokenStoreTests(GarnetFixture garnet) : IClassFixture<GarnetFixture>
{
    [Fact]
    public async Task The_kit_catches_a_store_that_hands_jobs_out_twice()
    {
        var kit = new StoreConformanceKit(new LeaselessStore(garnet.Host.Store));
        await Assert.ThrowsAnyAsync<XunitException>(() => kit.No_job_is_handed_out_twice_with_8_concurrent_takers(jobs: 200));
    }

    [Fact]
    public async Task The_kit_catches_a_store_that_never_requeues()
    {
        var kit = new StoreConformanceKit(new LeaselessStore(garnet.Host.Store));
        await Assert.ThrowsAnyAsync<XunitException>(kit.Lease_expiry_requeues_and_fences_the_old_holder);
    }

    /// <summary>Grants zero-length leases and sweeps on every take, the way a store without working leases
    /// behaves.</summary>
    private sealed class LeaselessStore(IHearthStore inner) : IHearthStore
    {
        public async Task<IReadOnlyList<TakenJob>> TakeAsync(string endpoint, string workerId, int max, long nowMs, long leaseMs, CancellationToken cancellationToken = default)
        {
            var taken = await inner.TakeAsync(endpoint, workerId, max, nowMs, 0, cancellationToken);
            await inner.SweepAsync(endpoint, nowMs + 1, new SweepLimits(int.MaxValue, 1000), cancellationToken);
            return taken;
        }

        public Task<SweepResult> SweepAsync(string endpoint, long nowMs, SweepLimits limits, CancellationToken cancellationToken = default) =>
            Task.FromResult(new SweepResult([], [], [], []));

        public Task<bool> SubmitAsync(string endpoint, NewJob job, CancellationToken cancellationToken = default) => inner.SubmitAsync(endpoint, job, cancellationToken);
        public Task<SubmitResult> SubmitOnceAsync(string endpoint, NewJob job, CancellationToken cancellationToken = default) => inner.SubmitOnceAsync(endpoint, job, cancellationToken);
        public Task<SubmitResult> SubmitOnceAsync(string endpoint, NewJob job, Action? visible, CancellationToken cancellationToken = default) => inner.SubmitOnceAsync(endpoint, job, visible, cancellationToken);
        public Task<CompleteResult> CompleteAsync(string endpoint, JobCompletion completion, CancellationToken cancellationToken = default) => inner.CompleteAsync(endpoint, completion, cancellationToken);
        public Task<CompletedAndTaken> CompleteAllAsync(string endpoint, string workerId, IReadOnlyList<JobCompletion> completions, int takeMax, long nowMs, long leaseMs, CancellationToken cancellationToken = default) =>
            inner.CompleteAllAsync(endpoint, workerId, completions, takeMax, nowMs, 0, cancellationToken);
        public Task<HolderCheck> ReleaseAsync(string endpoint, string jobId, string workerId, CancellationToken cancellationToken = default) => inner.ReleaseAsync(endpoint, jobId, workerId, cancellationToken);
        public Task<HolderCheck> ProgressAsync(string endpoint, string jobId, string workerId, string outputJson, CancellationToken cancellationToken = default) => inner.ProgressAsync(endpoint, jobId, workerId, outputJson, cancellationToken);
        public Task<HolderCheck> AppendStreamAsync(string endpoint, string jobId, string workerId, string chunkJson, CancellationToken cancellationToken = default) => inner.AppendStreamAsync(endpoint, jobId, workerId, chunkJson, cancellationToken);
        public Task<StreamRead?> ReadStreamAsync(string endpoint, string jobId, CancellationToken cancellationToken = default) => inner.ReadStreamAsync(endpoint, jobId, cancellationToken);
        public Task<HeartbeatResult> HeartbeatAsync(string endpoint, string workerId, IReadOnlyList<string> jobIds, long nowMs, long leaseMs, CancellationToken cancellationToken = default) => inner.HeartbeatAsync(endpoint, workerId, jobIds, nowMs, leaseMs, cancellationToken);
        public Task<IReadOnlyList<StopOrder>> TakeStopSignalsAsync(string endpoint, string workerId, CancellationToken cancellationToken = default) => inner.TakeStopSignalsAsync(endpoint, workerId, cancellationToken);
        public Task<JobSnapshot?> GetAsync(string endpoint, string jobId, CancellationToken cancellationToken = default) => inner.GetAsync(endpoint, jobId, cancellationToken);
        public Task<TransitionResult> CancelAsync(string endpoint, string jobId, long nowMs, CancellationToken cancellationToken = default) => inner.CancelAsync(endpoint, jobId, nowMs, cancellationToken);
        public Task<TransitionResult> RetryAsync(string endpoint, string jobId, long nowMs, CancellationToken cancellationToken = default) => inner.RetryAsync(endpoint, jobId, nowMs, cancellationToken);
        public Task<IReadOnlyList<string>> PurgeQueueAsync(string endpoint, long nowMs, CancellationToken cancellationToken = default) => inner.PurgeQueueAsync(endpoint, nowMs, cancellationToken);
        public Task<EndpointCounters> CountAsync(string endpoint, long nowMs, long workerSeenWithinMs, CancellationToken cancellationToken = default) => inner.CountAsync(endpoint, nowMs, workerSeenWithinMs, cancellationToken);
        public Task<EndpointView> ViewAsync(string endpoint, CancellationToken cancellationToken = default) => inner.ViewAsync(endpoint, cancellationToken);
        public Task<long> TryLeadAsync(string role, string owner, TimeSpan lease, CancellationToken cancellationToken = default) => inner.TryLeadAsync(role, owner, lease, cancellationToken);
        public Task<StepWrite> PutStepAsync(string endpoint, string jobId, string workerId, string stepKey, string valueJson, long nowMs, CancellationToken cancellationToken = default) => inner.PutStepAsync(endpoint, jobId, workerId, stepKey, valueJson, nowMs, cancellationToken);
        public Task<IReadOnlyList<KeyValuePair<string, string>>?> GetStepsAsync(string endpoint, string jobId, string workerId, CancellationToken cancellationToken = default) => inner.GetStepsAsync(endpoint, jobId, workerId, cancellationToken);
        public Task<StateRead> GetStateAsync(string endpoint, string jobId, string workerId, string key, CancellationToken cancellationToken = default) => inner.GetStateAsync(endpoint, jobId, workerId, key, cancellationToken);
        public Task<StateWrite> PutStateAsync(string endpoint, string jobId, string workerId, string key, string? valueJson, long nowMs, CancellationToken cancellationToken = default) => inner.PutStateAsync(endpoint, jobId, workerId, key, valueJson, nowMs, cancellationToken);
        public Task<IReadOnlyList<SessionSummary>> ListSessionsAsync(string endpoint, int max, CancellationToken cancellationToken = default) => inner.ListSessionsAsync(endpoint, max, cancellationToken);
        public Task<SessionDetail?> GetSessionAsync(string endpoint, string sessionId, int previewBytes, CancellationToken cancellationToken = default) => inner.GetSessionAsync(endpoint, sessionId, previewBytes, cancellationToken);
        public Task RetireWorkerAsync(string endpoint, string workerId, long nowMs, CancellationToken cancellationToken = default) =>
            inner.RetireWorkerAsync(endpoint, workerId, nowMs, cancellationToken);
        public Task<SweepResult> LoseWorkerAsync(string endpoint, string workerId, long nowMs, int maxWorkerLost, string how, CancellationToken cancellationToken = default) =>
            inner.LoseWorkerAsync(endpoint, workerId, nowMs, maxWorkerLost, how, cancellationToken);
        public Task<IReadOnlyList<JobSummary>> RecentJobsAsync(string endpoint, string? status, int limit, CancellationToken cancellationToken = default) => inner.RecentJobsAsync(endpoint, status, limit, cancellationToken);
        public Task<JobDetail?> GetDetailAsync(string endpoint, string jobId, CancellationToken cancellationToken = default) => inner.GetDetailAsync(endpoint, jobId, cancellationToken);
        public Task<IReadOnlyList<WebhookClaim>> ClaimWebhooksAsync(string endpoint, long nowMs, int max,
            TimeSpan claim, CancellationToken cancellationToken = default) =>
            inner.ClaimWebhooksAsync(endpoint, nowMs, max, claim, cancellationToken);
        public Task SettleWebhookAsync(string endpoint, string jobId, long? retryAtMs, int attempts,
            CancellationToken cancellationToken = default) =>
            inner.SettleWebhookAsync(endpoint, jobId, retryAtMs, attempts, cancellationToken);
    }
}

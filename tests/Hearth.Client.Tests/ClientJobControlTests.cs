using System.Text.Json.Serialization;
using Hearth.Core.Jobs;
using Hearth.Server.Tests.Fixtures;

namespace Hearth.Client.Tests;

/// <summary>Cancel, retry, purge and health through the client, against a real control plane.</summary>
public sealed class ClientJobControlTests(GarnetStoreFixture store) : IClassFixture<GarnetStoreFixture>
{
    public sealed record Work(string Name);

    public sealed record Failing([property: JsonPropertyName("fail")] string Fail);

    public sealed record Hanging([property: JsonPropertyName("hang")] bool Hang);

    [Fact]
    public async Task CancelAsync_cancels_a_queued_job()
    {
        await using var h = await ClientHarness.StartAsync(store, "idle", withWorker: false);
        var handle = await h.Endpoint.RunAsync(new Work("queued"));

        var cancelled = await h.Endpoint.CancelAsync(handle.Id);

        Assert.Equal(new JobHandle(handle.Id, JobStatus.Cancelled), cancelled);
        var status = await h.Endpoint.StatusAsync<Work>(handle.Id);
        Assert.Equal(JobStatus.Cancelled, status.Status);
        Assert.True(status.IsFinal);
        Assert.False(status.IsCompleted);
    }

    [Fact]
    public async Task CancelAsync_stops_a_running_job_on_its_worker()
    {
        await using var h = await ClientHarness.StartAsync(store, "hang");
        var handle = await h.Endpoint.RunAsync(new Hanging(true));
        await h.Server.WaitForAsync(h.Endpoint.Name, handle.Id, s => (string?)s["status"] == JobStatus.InProgress);

        var cancelled = await h.Endpoint.CancelAsync(handle.Id);

        Assert.Equal(JobStatus.Cancelled, cancelled.Status);
        await h.Worker!.WaitForLineAsync($"stopping job {handle.Id}");
    }

    [Fact]
    public async Task RetryAsync_requeues_a_failed_job_under_the_same_id()
    {
        await using var h = await ClientHarness.StartAsync(store, "fail");
        var handle = await h.Endpoint.RunAsync(new Failing("boom"));
        var failed = await h.AdvanceUntilAsync(h.Endpoint.WaitAsync<object>(handle.Id));
        Assert.Equal(JobStatus.Failed, failed.Status);
        Assert.Contains("boom", failed.Error, StringComparison.Ordinal);

        var retried = await h.Endpoint.RetryAsync(handle.Id);

        Assert.Equal(new JobHandle(handle.Id, JobStatus.InQueue), retried);
        var again = await h.AdvanceUntilAsync(h.Endpoint.WaitAsync<object>(handle.Id));
        Assert.Equal(JobStatus.Failed, again.Status);
        Assert.Equal(1, (await h.Endpoint.HealthAsync()).Retried);
    }

    [Fact]
    public async Task PurgeQueueAsync_removes_queued_jobs_and_reports_how_many()
    {
        await using var h = await ClientHarness.StartAsync(store, "purge", withWorker: false);
        var first = await h.Endpoint.RunAsync(new Work("a"));
        await h.Endpoint.RunAsync(new Work("b"));

        var removed = await h.Endpoint.PurgeQueueAsync();

        Assert.Equal(2, removed);
        Assert.Equal(JobStatus.Cancelled, (await h.Endpoint.StatusAsync<Work>(first.Id)).Status);
        Assert.Equal(0, await h.Endpoint.PurgeQueueAsync());
        Assert.Equal(0, (await h.Endpoint.HealthAsync()).InQueue);
    }

    [Fact]
    public async Task HealthAsync_reads_job_and_worker_counters()
    {
        await using var h = await ClientHarness.StartAsync(store, "health");
        await h.AdvanceUntilAsync(h.Endpoint.RunSyncAsync<Work, Work>(new Work("one")));
        var queued = await ClientHarness.StartAsync(store, "health-idle", withWorker: false);
        await using (queued)
        {
            await queued.Endpoint.RunAsync(new Work("waiting"));
            Assert.Equal(1, (await queued.Endpoint.HealthAsync()).InQueue);
        }

        var health = await h.Endpoint.HealthAsync();

        Assert.Equal(1, health.Completed);
        Assert.Equal(0, health.Failed);
        Assert.Equal(0, health.InProgress);
        Assert.Equal(0, health.InQueue);
        Assert.Equal(0, health.Retried);
        Assert.True(health.Idle + health.Ready >= 1, $"expected the connected worker to count as idle or ready: {health}");
        Assert.Equal(0, health.Unhealthy);
    }
}

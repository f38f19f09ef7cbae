using Hearth.Core.Jobs;
using Hearth.Store.Jobs;

namespace Hearth.Store.Tests.Conformance;

/// <summary>The recent-jobs index the dashboard lists from.</summary>
public sealed partial class StoreConformanceKit
{
    public async Task Recent_jobs_are_listed_newest_first_and_filtered_by_status()
    {
        var ep = NewEndpoint();
        await store.SubmitAsync(ep, Job("a", now: T0));
        await store.SubmitAsync(ep, Job("b", now: T0 + 1) with { SessionId = "chat-1" });
        await store.SubmitAsync(ep, Job("c", now: T0 + 2));
        Assert.Equal("a", Assert.Single(await store.TakeAsync(ep, "w1", 1, T0 + 10, Lease)).Id);
        await store.CompleteAsync(ep, new JobCompletion("a", "w1", 1, T0 + 25, false, "{\"ok\":true}", null));

        var all = await store.RecentJobsAsync(ep, null, 10);
        Assert.Equal(["c", "b", "a"], all.Select(j => j.Id));
        Assert.Equal(new JobSummary("a", JobStatus.Completed, T0, T0 + 10, 10, 15, "w1", null, null, null), all[2]);
        Assert.Equal(new JobSummary("b", JobStatus.InQueue, T0 + 1, null, null, null, null, "chat-1", null, null), all[1]);

        Assert.Equal(["a"], (await store.RecentJobsAsync(ep, JobStatus.Completed, 10)).Select(j => j.Id));
        Assert.Equal(["c", "b"], (await store.RecentJobsAsync(ep, JobStatus.InQueue, 10)).Select(j => j.Id));
        Assert.Equal(["c"], (await store.RecentJobsAsync(ep, null, 1)).Select(j => j.Id));
        Assert.Empty(await store.RecentJobsAsync(NewEndpoint(), null, 10));
    }

    public async Task The_recent_index_is_capped_and_forgets_deleted_jobs()
    {
        var ep = NewEndpoint();
        var total = RedisHearthStore.RecentJobsCap + 5;
        for (var start = 0; start < total; start += 200)
        {
            await Task.WhenAll(Enumerable.Range(start, Math.Min(200, total - start)).Select(i => store.SubmitAsync(ep, Job($"j{i}", now: T0 + i))));
        }

        var listed = await store.RecentJobsAsync(ep, null, int.MaxValue);
        Assert.Equal(RedisHearthStore.RecentJobsCap, listed.Count);
        Assert.Equal($"j{total - 1}", listed[0].Id);
        Assert.Equal("j5", listed[^1].Id);
        Assert.NotNull(await store.GetAsync(ep, "j0")); // trimmed from the index, not deleted

        var short_ = NewEndpoint();
        await store.SubmitAsync(short_, Job("gone", ttl: 1_000));
        await store.SubmitAsync(short_, Job("stays"));
        await store.SweepAsync(short_, T0 + 1_001, Limits);
        Assert.Equal(["stays"], (await store.RecentJobsAsync(short_, null, 10)).Select(j => j.Id));
    }

    public async Task A_job_detail_has_its_payload_output_and_error()
    {
        var ep = NewEndpoint();
        await store.SubmitAsync(ep, Job("a", exec: 5_000));
        Assert.Null(await store.GetDetailAsync(ep, "missing"));
        var queued = (await store.GetDetailAsync(ep, "a"))!;
        Assert.Equal("{\"id\":\"a\",\"input\":{\"n\":1}}", queued.PayloadJson);
        Assert.Null(queued.OutputJson);

        await store.TakeAsync(ep, "w1", 1, T0 + 3, Lease);
        await store.SweepAsync(ep, T0 + 5_004, Limits);
        var timedOut = (await store.GetDetailAsync(ep, "a"))!;
        Assert.Equal(JobStatus.TimedOut, timedOut.Summary.Status);
        Assert.Equal(JobReasons.ExecutionTimeout, timedOut.Summary.Reason);
        Assert.Contains("execution timeout", timedOut.Summary.Error, StringComparison.Ordinal);
        Assert.Equal(5_001, timedOut.Summary.ExecutionTimeMs);
    }
}

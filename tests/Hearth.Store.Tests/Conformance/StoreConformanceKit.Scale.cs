using Hearth.Core.Jobs;
using Hearth.Store.Jobs;

namespace Hearth.Store.Tests.Conformance;

/// <summary>Scenarios of the queue structures that keep every operation independent of the queue's depth.</summary>
public sealed partial class StoreConformanceKit
{
    public async Task Cancelled_and_expired_queued_jobs_are_skipped_and_not_counted()
    {
        var ep = NewEndpoint();
        for (var i = 0; i < 8; i++)
        {
            await store.SubmitAsync(ep, Job($"j{i}", now: T0 + i, low: i >= 6, ttl: i == 4 ? 10_000 : JobLimits.DefaultTtlMs));
        }

        // Cancelled at the head, in the middle and in the low-priority queue; one expires by TTL.
        foreach (var id in new[] { "j0", "j2", "j6" })
        {
            Assert.Equal(JobStatus.Cancelled, (await store.CancelAsync(ep, id, T0 + 100)).Status);
        }

        Assert.Equal(["j4"], (await store.SweepAsync(ep, T0 + 20_000, Limits)).Deleted);
        Assert.Equal(4, (await store.CountAsync(ep, T0 + 20_001, Lease)).InQueue);
        var view = await store.ViewAsync(ep);
        Assert.Equal(3, view.InQueue);
        Assert.Equal(1, view.InQueueLowPriority);
        Assert.Equal(T0 + 1, view.OldestSubmittedMs); // j1: the cancelled head is not the oldest wait

        var taken = await store.TakeAsync(ep, "w1", 10, T0 + 20_002, Lease);
        Assert.Equal(["j1", "j3", "j5", "j7"], taken.Select(j => j.Id));
        Assert.Equal(0, (await store.CountAsync(ep, T0 + 20_003, Lease)).InQueue);
        Assert.Empty(await store.TakeAsync(ep, "w1", 10, T0 + 20_004, Lease));

        // A retried job is queued again and counted once.
        await store.CompleteAsync(ep, new JobCompletion("j1", "w1", null, T0 + 20_005, true, null, "boom"));
        Assert.Equal(JobStatus.InQueue, (await store.RetryAsync(ep, "j1", T0 + 20_006)).Status);
        Assert.Equal(1, (await store.CountAsync(ep, T0 + 20_007, Lease)).InQueue);
        Assert.Equal("j1", Assert.Single(await store.TakeAsync(ep, "w2", 10, T0 + 20_008, Lease)).Id);
    }

    public async Task A_deep_queue_is_purged_in_chunks_and_jobs_after_it_stay_takeable()
    {
        var ep = NewEndpoint();
        const int jobs = 2_500;
        for (var start = 0; start < jobs; start += 500)
        {
            await Task.WhenAll(Enumerable.Range(start, 500).Select(i => store.SubmitAsync(ep, Job($"j{i}", low: i % 5 == 0))));
        }

        await store.CancelAsync(ep, "j7", T0 + 1);
        var purged = await store.PurgeQueueAsync(ep, T0 + 2);
        Assert.Equal(jobs - 1, purged.Count);
        Assert.Equal(jobs - 1, purged.Distinct().Count());
        Assert.DoesNotContain("j7", purged);
        Assert.Equal(0, (await store.CountAsync(ep, T0 + 3, Lease)).InQueue);
        Assert.Equal(JobStatus.Cancelled, (await store.GetAsync(ep, "j2499"))!.Status);
        Assert.Equal("purged", (await store.GetDetailAsync(ep, "j2499"))!.Summary.Reason);

        await store.SubmitAsync(ep, Job("after", now: T0 + 4));
        Assert.Equal("after", Assert.Single(await store.TakeAsync(ep, "w1", 10, T0 + 5, Lease)).Id);
    }

    public async Task A_queue_keeps_its_order_across_segments_with_tombstones_and_requeues()
    {
        // 2,100 jobs span three of the queue's segments (1,024 ids each); two tombstones straddle the first boundary.
        var ep = NewEndpoint();
        const int jobs = 2_100;
        for (var i = 0; i < jobs; i++)
        {
            await store.SubmitAsync(ep, Job($"j{i}", now: T0 + i));
        }

        await store.CancelAsync(ep, "j1023", T0 + jobs);
        await store.CancelAsync(ep, "j1024", T0 + jobs);
        var first = new List<string>();
        while (first.Count < 1_000)
        {
            first.AddRange((await store.TakeAsync(ep, "w1", 100, T0 + jobs + 1, Lease)).Select(j => j.Id));
        }

        Assert.Equal(Enumerable.Range(0, 1_000).Select(i => $"j{i}"), first);

        // A job handed back goes to the front, ahead of what is left of the first segment and of the next ones.
        Assert.Equal(HolderCheck.Accepted, await store.ReleaseAsync(ep, "j500", "w1"));
        Assert.Equal(T0 + 500, (await store.ViewAsync(ep)).OldestSubmittedMs);
        var next = await store.TakeAsync(ep, "w2", 30, T0 + jobs + 2, Lease);
        string[] expected =
        [
            "j500", .. Enumerable.Range(1_000, 23).Select(i => $"j{i}"),
            .. Enumerable.Range(1_025, 6).Select(i => $"j{i}"),
        ];
        Assert.Equal(expected, next.Select(j => j.Id));
        Assert.Equal(jobs - 2 - 1_000 + 1 - 30, (await store.CountAsync(ep, T0 + jobs + 3, Lease)).InQueue);
        Assert.Equal(T0 + 1_031, (await store.ViewAsync(ep)).OldestSubmittedMs);

        // A purge takes exactly what is left; the queue then starts over and keeps working.
        var purged = await store.PurgeQueueAsync(ep, T0 + jobs + 4);
        Assert.Equal(Enumerable.Range(1_031, jobs - 1_031).Select(i => $"j{i}"), purged);
        Assert.Equal(0, (await store.CountAsync(ep, T0 + jobs + 5, Lease)).InQueue);
        Assert.Empty(await store.TakeAsync(ep, "w1", 10, T0 + jobs + 6, Lease));
        await store.SubmitAsync(ep, Job("after", now: T0 + jobs + 7));
        Assert.Equal("after", Assert.Single(await store.TakeAsync(ep, "w1", 10, T0 + jobs + 8, Lease)).Id);
    }

    public async Task Deadlines_in_one_second_and_across_seconds_expire_exactly_on_time()
    {
        // TTLs ending within one second and across several: each job is deleted at its deadline, not before and not
        // a second late; deleting or finishing a job removes its deadline.
        var ep = NewEndpoint();
        long[] ttls = [1_000, 1_400, 1_999, 2_000, 2_001, 5_500];
        for (var i = 0; i < ttls.Length; i++)
        {
            await store.SubmitAsync(ep, Job($"t{i}", now: T0, ttl: ttls[i], retention: 10_000));
        }

        await store.CancelAsync(ep, "t3", T0 + 10);
        var deleted = new List<string>();
        foreach (var at in new long[] { 999, 1_000, 1_399, 1_400, 1_999, 2_000, 2_001, 5_499, 5_500 })
        {
            var swept = await store.SweepAsync(ep, T0 + at, Limits);
            deleted.AddRange(swept.Deleted.Select(id => $"{id}@{at}"));
        }

        // t3 was cancelled: TTL still deletes it at 2,000, before its retention ends (10,010), and takes its retention
        // deadline with it, so no later sweep reports it again.
        Assert.Equal(["t0@1000", "t1@1400", "t2@1999", "t3@2000", "t4@2001", "t5@5500"], deleted);
        Assert.True((await store.SweepAsync(ep, T0 + 20_000, Limits)).IsEmpty);
    }

    public async Task A_worker_finds_its_parked_job_behind_many_parked_for_others()
    {
        var ep = NewEndpoint();

        // 40 sessions bound to w2 and one bound to w1, each by a first job.
        for (var k = 0; k < 40; k++)
        {
            await store.SubmitAsync(ep, Job($"a{k}-1") with { SessionId = $"sa{k}" });
        }

        await store.SubmitAsync(ep, Job("b-1") with { SessionId = "sb" });
        foreach (var job in await store.TakeAsync(ep, "w2", 40, T0 + 1, Lease))
        {
            await store.CompleteAsync(ep, new JobCompletion(job.Id, "w2", null, T0 + 2, false, "1", null));
        }

        Assert.Equal("b-1", Assert.Single(await store.TakeAsync(ep, "w1", 1, T0 + 3, Lease)).Id);
        await store.CompleteAsync(ep, new JobCompletion("b-1", "w1", null, T0 + 4, false, "1", null));

        // Their next jobs: w3 asks first and must set every one aside, w1's last of all.
        for (var k = 0; k < 40; k++)
        {
            await store.SubmitAsync(ep, Job($"a{k}-2", now: T0 + 5 + k) with { SessionId = $"sa{k}" });
        }

        await store.SubmitAsync(ep, Job("b-2", now: T0 + 50) with { SessionId = "sb" });
        var w3 = await store.TakeAsync(ep, "w3", 50, T0 + 60, Lease);
        Assert.Empty(w3);
        Assert.True(((TakenJobs)w3).ParkedAny);
        Assert.Equal(41, (await store.CountAsync(ep, T0 + 61, Lease)).InQueue);

        Assert.Equal("b-2", Assert.Single(await store.TakeAsync(ep, "w1", 5, T0 + 62, Lease)).Id);
        Assert.Equal(40, (await store.TakeAsync(ep, "w2", 50, T0 + 63, Lease)).Count);
        Assert.Equal(0, (await store.CountAsync(ep, T0 + 64, Lease)).InQueue);

        // A cancelled parked job leaves both the set and its worker's index.
        await store.SubmitAsync(ep, Job("b-3", now: T0 + 65) with { SessionId = "sb" });
        Assert.Empty(await store.TakeAsync(ep, "w3", 5, T0 + 66, Lease));
        Assert.Equal(JobStatus.Cancelled, (await store.CancelAsync(ep, "b-3", T0 + 67)).Status);
        Assert.Equal(0, (await store.CountAsync(ep, T0 + 68, Lease)).InQueue);
        Assert.Empty(await store.TakeAsync(ep, "w1", 5, T0 + 69, Lease));
    }
}

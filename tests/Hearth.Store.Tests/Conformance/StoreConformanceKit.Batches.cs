using Hearth.Core.Jobs;
using Hearth.Store.Jobs;

namespace Hearth.Store.Tests.Conformance;

/// <summary>A worker's results and its next jobs in one store call (job-done?next, job-done-batch).</summary>
public sealed partial class StoreConformanceKit
{
    public async Task Results_and_the_next_jobs_go_in_one_call_each_result_checked_on_its_own()
    {
        var ep = NewEndpoint();
        foreach (var id in new[] { "a", "b", "c", "d", "e" })
        {
            await store.SubmitAsync(ep, Job(id));
        }

        Assert.Equal(["a", "b", "c"], (await store.TakeAsync(ep, "w1", 3, T0, Lease)).Select(j => j.Id));
        var done = await store.CompleteAllAsync(ep, "w1",
        [
            new JobCompletion("a", "w1", 1, T0 + 10, false, "\"A\"", null),
            new JobCompletion("b", "w1", 9, T0 + 10, false, "\"stale\"", null),
            new JobCompletion("nope", "w1", null, T0 + 10, false, "1", null),
            new JobCompletion("c", "w1", null, T0 + 10, true, null, "boom"),
        ], takeMax: 5, T0 + 10, Lease);

        Assert.Equal([HolderCheck.Accepted, HolderCheck.NotHolder, HolderCheck.NotFound, HolderCheck.Accepted],
            done.Results.Select(r => r.Check));
        Assert.Equal(JobStatus.InProgress, done.Results[1].Status);
        Assert.Equal(JobStatus.Failed, done.Results[3].Status);
        Assert.Equal(10, done.Results[0].Final!.ExecutionTimeMs);
        Assert.Equal(T0, done.Results[0].Final!.SubmittedMs);
        Assert.Equal(["d", "e"], done.Taken.Select(j => j.Id));
        Assert.All(done.Taken, j => Assert.Equal(1, j.Attempt));
        Assert.Equal("\"A\"", (await store.GetAsync(ep, "a"))!.OutputJson);
        Assert.Equal(JobStatus.InProgress, (await store.GetAsync(ep, "b"))!.Status);
        Assert.Equal("w1", (await store.GetAsync(ep, "d"))!.WorkerId);

        // The taken jobs hold a lease like any take's: they are fenced and requeued when it runs out.
        var swept = await store.SweepAsync(ep, T0 + 10 + Lease + 1, Limits);
        Assert.Contains("d", swept.Requeued);

        // Results that were all refused take nothing: the jobs stay queued for a worker that holds its own.
        await store.SubmitAsync(ep, Job("f"));
        var refused = await store.CompleteAllAsync(ep, "w2",
            [new JobCompletion("a", "w2", null, T0 + 20, false, "1", null)], takeMax: 5, T0 + 20, Lease);
        Assert.Equal(HolderCheck.NotHolder, refused.Results[0].Check);
        Assert.Empty(refused.Taken);
        Assert.Equal(JobStatus.InQueue, (await store.GetAsync(ep, "f"))!.Status);
    }
}

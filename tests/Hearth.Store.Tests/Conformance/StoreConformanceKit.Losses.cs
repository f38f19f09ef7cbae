namespace Hearth.Store.Tests.Conformance;

/// <summary>Only real losses count: a take whose answer never reached its worker is not a lost worker.</summary>
public sealed partial class StoreConformanceKit
{
    public async Task A_take_whose_answer_never_arrived_goes_back_without_counting_a_lost_worker()
    {
        var ep = NewEndpoint();
        await store.SubmitAsync(ep, Job("lost-answer"));
        Assert.Single(await store.TakeAsync(ep, "w1", 1, T0, Lease));

        // The worker never got it: it keeps asking for work and never lists it in a heartbeat.
        Assert.Empty(await store.TakeAsync(ep, "w1", 1, T0 + 1_000, Lease));
        await store.HeartbeatAsync(ep, "w1", [], T0 + 10_000, Lease);
        var swept = await store.SweepAsync(ep, T0 + Lease + 1, Limits);
        Assert.Equal(["lost-answer"], swept.Requeued);
        var job = (await store.GetAsync(ep, "lost-answer"))!;
        Assert.Equal(0, job.WorkerLost);
        Assert.Equal(["lost-answer"], (await store.TakeAsync(ep, "w2", 1, T0 + Lease + 2, Lease)).Select(j => j.Id));
    }

    public async Task A_worker_that_had_its_job_and_went_silent_is_counted_lost()
    {
        var ep = NewEndpoint();
        await store.SubmitAsync(ep, Job("silent"));
        Assert.Single(await store.TakeAsync(ep, "gone", 1, T0, Lease));

        // Taken and never heard from again: its worker died (perhaps with the answer), a loss.
        await store.SweepAsync(ep, T0 + Lease + 1, Limits);
        Assert.Equal(1, (await store.GetAsync(ep, "silent"))!.WorkerLost);

        // Listed in a heartbeat, then the worker keeps taking but stops renewing it: it had it, a loss too.
        ep = NewEndpoint();
        await store.SubmitAsync(ep, Job("listed"));
        var now = T0 + Lease + 2;
        Assert.Equal("listed", Assert.Single(await store.TakeAsync(ep, "w1", 1, now, Lease)).Id);
        await store.HeartbeatAsync(ep, "w1", ["listed"], now + 5_000, Lease);
        Assert.Empty(await store.TakeAsync(ep, "w1", 1, now + 6_000, Lease));
        await store.SweepAsync(ep, now + 5_000 + Lease + 1, Limits);
        Assert.Equal(1, (await store.GetAsync(ep, "listed"))!.WorkerLost);
    }
}

using Hearth.Store.Jobs;

namespace Hearth.Store.Tests.Conformance;

/// <summary>Batch submit: each job its own atomic submit, in order, idempotency per job, all taken like single
/// submits.</summary>
public sealed partial class StoreConformanceKit
{
    public async Task A_batch_submit_queues_each_job_in_order_and_honours_each_idempotency_key()
    {
        var ep = NewEndpoint();
        var claim = new IdempotencyClaim("client-a\nitem-1", "hash-1");
        await store.SubmitOnceAsync(ep, Job("first") with { Idempotency = claim });
        var woken = 0;
        var results = await store.SubmitManyAsync(ep,
            [Job("b1"), Job("b2") with { Idempotency = claim }, Job("b3"), Job("b1")], () => woken++);

        Assert.Equal(
            [
                new SubmitResult(SubmitOutcome.Created, "b1"), new SubmitResult(SubmitOutcome.Replayed, "first"),
                new SubmitResult(SubmitOutcome.Created, "b3"), new SubmitResult(SubmitOutcome.DuplicateId, "b1"),
            ],
            results);
        Assert.Equal(1, woken);
        var taken = await store.TakeAsync(ep, "w1", 10, T0 + 1, Lease);
        Assert.Equal(["first", "b1", "b3"], taken.Select(t => t.Id));
    }
}

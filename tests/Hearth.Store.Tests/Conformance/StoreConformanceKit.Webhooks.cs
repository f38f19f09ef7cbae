using Hearth.Core.Jobs;
using Hearth.Store.Jobs;

namespace Hearth.Store.Tests.Conformance;

/// <summary>The webhook outbox: a delivery is claimed, comes back until it is settled, and goes with its job.</summary>
public sealed partial class StoreConformanceKit
{
    private static readonly TimeSpan HookClaim = TimeSpan.FromSeconds(30);

    private static NewJob Hooked(string id, long retention = JobLimits.RunRetentionMs) =>
        Job(id, retention: retention) with { Webhook = $"http://hooks.example/{id}" };

    public async Task A_claimed_webhook_delivery_comes_back_until_it_is_settled()
    {
        var ep = NewEndpoint();
        await store.SubmitAsync(ep, Hooked("a"));
        await store.SubmitAsync(ep, Job("plain"));
        await store.CancelAsync(ep, "a", T0 + 1);
        await store.CancelAsync(ep, "plain", T0 + 1);

        Assert.Equal([new WebhookClaim("a", "http://hooks.example/a", 0)],
            await store.ClaimWebhooksAsync(ep, T0 + 2, 10, HookClaim));
        Assert.Empty(await store.ClaimWebhooksAsync(ep, T0 + 3, 10, HookClaim));

        // A dispatcher that died holding it: the claim runs out and the delivery is claimed again.
        Assert.Empty(await store.ClaimWebhooksAsync(ep, T0 + 2 + 29_999, 10, HookClaim));
        Assert.Equal(["a"], (await store.ClaimWebhooksAsync(ep, T0 + 2 + 30_000, 10, HookClaim)).Select(c => c.JobId));

        // A failed attempt puts it back for later, with the attempts counted.
        await store.SettleWebhookAsync(ep, "a", T0 + 50_000, 1);
        Assert.Empty(await store.ClaimWebhooksAsync(ep, T0 + 49_999, 10, HookClaim));
        Assert.Equal([new WebhookClaim("a", "http://hooks.example/a", 1)],
            await store.ClaimWebhooksAsync(ep, T0 + 50_000, 10, HookClaim));

        await store.SettleWebhookAsync(ep, "a", null, 2);
        Assert.Empty(await store.ClaimWebhooksAsync(ep, T0 + 10_000_000, 10, HookClaim));
    }

    public async Task New_webhook_deliveries_are_not_starved_by_ones_waiting_to_retry()
    {
        var ep = NewEndpoint();
        for (var i = 0; i < 8; i++)
        {
            await store.SubmitAsync(ep, Hooked($"old{i}"));
            await store.CancelAsync(ep, $"old{i}", T0 + 1);
        }

        foreach (var claim in await store.ClaimWebhooksAsync(ep, T0 + 2, 8, HookClaim))
        {
            await store.SettleWebhookAsync(ep, claim.JobId, T0 + 100, 1);
        }

        await store.SubmitAsync(ep, Hooked("new"));
        await store.CancelAsync(ep, "new", T0 + 3);
        var claimed = await store.ClaimWebhooksAsync(ep, T0 + 200, 4, HookClaim);
        Assert.Equal(4, claimed.Count);
        Assert.Contains("new", claimed.Select(c => c.JobId));
        Assert.Equal(5, (await store.ClaimWebhooksAsync(ep, T0 + 200, 10, HookClaim)).Count);
    }

    public async Task A_webhook_delivery_goes_with_its_job_and_a_retried_job_delivers_its_new_final_state()
    {
        var ep = NewEndpoint();
        await store.SubmitAsync(ep, Hooked("gone", retention: 1_000));
        await store.CancelAsync(ep, "gone", T0 + 1);
        await store.SweepAsync(ep, T0 + 5_000, Limits);
        Assert.Empty(await store.ClaimWebhooksAsync(ep, T0 + 5_001, 10, HookClaim));

        await store.SubmitAsync(ep, Hooked("again"));
        Assert.Single(await store.TakeAsync(ep, "w1", 1, T0 + 1, Lease));
        await store.CompleteAsync(ep, new JobCompletion("again", "w1", 1, T0 + 2, true, null, "boom"));
        Assert.Single(await store.ClaimWebhooksAsync(ep, T0 + 3, 10, HookClaim));
        await store.SettleWebhookAsync(ep, "again", T0 + 60_000, 2);

        Assert.True((await store.RetryAsync(ep, "again", T0 + 4)).Changed);
        Assert.Single(await store.TakeAsync(ep, "w1", 1, T0 + 5, Lease));
        await store.CompleteAsync(ep, new JobCompletion("again", "w1", 2, T0 + 6, false, "{}", null));
        Assert.Equal([new WebhookClaim("again", "http://hooks.example/again", 0)],
            await store.ClaimWebhooksAsync(ep, T0 + 7, 10, HookClaim));
    }
}

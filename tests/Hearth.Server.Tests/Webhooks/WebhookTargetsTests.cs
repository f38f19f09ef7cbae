using Hearth.Server.Webhooks;

namespace Hearth.Server.Tests.Webhooks;

/// <summary>Only unavailability opens a target's circuit; a failure of one message (a 500, a 4xx) is that message's
/// own, so a receiver that chokes on some payloads cannot hold back the rest.</summary>
public sealed class WebhookTargetsTests
{
    [Theory]
    [InlineData(null, true)]
    [InlineData(429, true)]
    [InlineData(502, true)]
    [InlineData(503, true)]
    [InlineData(504, true)]
    [InlineData(500, false)]
    [InlineData(400, false)]
    [InlineData(410, false)]
    public void A_failed_delivery_counts_toward_the_circuit_only_when_the_target_is_unavailable(int? status, bool down)
    {
        Assert.Equal(down, WebhookTargets.TargetDown(
            new WebhookDeliveryResult(WebhookDeliveryOutcome.Failed, 1, status, "failed")));
        Assert.False(WebhookTargets.TargetDown(
            new WebhookDeliveryResult(WebhookDeliveryOutcome.Delivered, 1, 200, null)));
    }
}

namespace Hearth.Server.Webhooks;

/// <summary>How a webhook delivery ended.</summary>
public enum WebhookDeliveryOutcome
{
    /// <summary>The receiver answered 2xx.</summary>
    Delivered,

    /// <summary><see cref="WebhookTargetGuard"/> refused the URL, so no connection was made for that attempt.</summary>
    Refused,

    /// <summary>Every attempt got a non-2xx answer, timed out or could not connect.</summary>
    Failed,
}

/// <summary>
/// The result of <see cref="WebhookSender.DeliverAsync"/>. It deliberately holds no response body or
/// connection detail, so a webhook cannot be used to read from or port-scan the target.
/// </summary>
/// <param name="Outcome">How the delivery ended.</param>
/// <param name="Attempts">How many POSTs were sent (0 when refused before the first).</param>
/// <param name="LastStatusCode">The last HTTP status received, or <see langword="null"/> if none was.</param>
/// <param name="Reason">For operators: why it was refused or failed; <see langword="null"/> when delivered.</param>
public sealed record WebhookDeliveryResult(
    WebhookDeliveryOutcome Outcome, int Attempts, int? LastStatusCode, string? Reason)
{
    /// <summary>Whether the receiver accepted the webhook.</summary>
    public bool Delivered => Outcome == WebhookDeliveryOutcome.Delivered;
}

namespace Hearth.Server.Webhooks;

/// <summary>The three Standard Webhooks headers that go on every delivery attempt.</summary>
/// <param name="Id">The <c>webhook-id</c> value; the same on every attempt so receivers can deduplicate.</param>
/// <param name="Timestamp">The <c>webhook-timestamp</c> value, in unix seconds.</param>
/// <param name="Signature">The <c>webhook-signature</c> value, <c>v1,</c> followed by the base64 HMAC.</param>
public sealed record WebhookSignatureHeaders(string Id, string Timestamp, string Signature)
{
    /// <summary>The header carrying <see cref="Id"/>.</summary>
    public const string IdHeader = "webhook-id";

    /// <summary>The header carrying <see cref="Timestamp"/>.</summary>
    public const string TimestampHeader = "webhook-timestamp";

    /// <summary>The header carrying <see cref="Signature"/>.</summary>
    public const string SignatureHeader = "webhook-signature";
}

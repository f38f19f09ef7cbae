using System.Net;

namespace Hearth.Server.Webhooks;

/// <summary>The verdict of <see cref="WebhookTargetGuard"/> on one webhook URL.</summary>
/// <param name="Allowed">Whether Hearth may deliver to the URL.</param>
/// <param name="Reason">
/// When refused, a sentence saying why and what to change; it never repeats credentials or the path.
/// <see langword="null"/> when allowed.
/// </param>
/// <param name="Target">The parsed URL when allowed; <see langword="null"/> when refused.</param>
/// <param name="Addresses">The vetted addresses a delivery may connect to; empty when refused.</param>
public sealed record WebhookTargetCheck(bool Allowed, string? Reason, Uri? Target, IReadOnlyList<IPAddress> Addresses)
{
    internal static WebhookTargetCheck Refuse(string reason) => new(false, reason, null, []);

    internal static WebhookTargetCheck Allow(Uri target, IReadOnlyList<IPAddress> addresses) =>
        new(true, null, target, addresses);
}

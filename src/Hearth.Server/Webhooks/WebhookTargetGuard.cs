using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace Hearth.Server.Webhooks;

/// <summary>
/// Decides whether a user-supplied webhook URL is safe to call (OWASP API7 SSRF, spec S6): only http(s),
/// no embedded credentials, and no name or address that leads into the host, its network or cloud metadata,
/// unless an operator allow-listed the range in <see cref="WebhookOptions.AllowedCidrs"/>.
/// </summary>
public sealed class WebhookTargetGuard
{
    private const string Advice =
        "Hearth refuses private, loopback, link-local and metadata targets unless allow-listed in "
        + "Webhooks:AllowedCidrs";

    private readonly WebhookOptions options;
    private readonly CidrRange[] allowed;
    private readonly Func<string, CancellationToken, Task<IPAddress[]>> resolver;

    /// <summary>Creates a guard.</summary>
    /// <param name="options">The webhook settings; <see cref="WebhookOptions.AllowedCidrs"/> must be valid.</param>
    /// <param name="resolver">Resolves a host name; defaults to
    /// <see cref="Dns.GetHostAddressesAsync(string, CancellationToken)"/>.</param>
    public WebhookTargetGuard(
        IOptions<WebhookOptions> options, Func<string, CancellationToken, Task<IPAddress[]>>? resolver = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        this.options = options.Value;
        allowed = [.. this.options.AllowedCidrs.Select(CidrRange.Parse)];
        this.resolver = resolver ?? Dns.GetHostAddressesAsync;
    }

    /// <summary>
    /// Parses and resolves <paramref name="url"/> and refuses it if <em>any</em> address it leads to is blocked.
    /// Call it when a URL is registered and again right before each delivery, since DNS can change in between.
    /// </summary>
    /// <param name="url">The URL as the user gave it.</param>
    /// <param name="cancellationToken">Cancels the DNS lookup.</param>
    /// <returns>The verdict, with the addresses a delivery must connect to when allowed.</returns>
    public async Task<WebhookTargetCheck> CheckAsync(string? url, CancellationToken cancellationToken = default)
    {
        // The URL itself is never echoed back: it may hold credentials or tokens.
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            return WebhookTargetCheck.Refuse(
                "webhook URL is not a valid absolute URL; give a full URL such as https://example.com/hook");
        }

        if (CheckScheme(uri) is { } schemeProblem)
        {
            return WebhookTargetCheck.Refuse(schemeProblem);
        }

        if (uri.UserInfo.Length > 0)
        {
            return WebhookTargetCheck.Refuse("webhook URL contains credentials (user:pass@); remove them, receivers "
                + "authenticate Hearth by the webhook-signature header");
        }

        if (WebhookHostName.TryGetLiteralAddress(uri, out var literal))
        {
            return CheckAddresses(uri, literal.ToString(), [literal], resolvedFromName: false);
        }

        var host = WebhookHostName.Canonical(uri);
        if (WebhookHostName.CheckName(host) is { } nameProblem)
        {
            return WebhookTargetCheck.Refuse(nameProblem);
        }

        IPAddress[] addresses;
        try
        {
            addresses = await resolver(host, cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException)
        {
            addresses = [];
        }
        catch (ArgumentException)
        {
            // Dns throws this for names it cannot even look up (too long, bad labels): not resolvable either.
            addresses = [];
        }

        return addresses.Length == 0
            ? WebhookTargetCheck.Refuse($"webhook host {host} did not resolve to any address; check the host name")
            : CheckAddresses(uri, host, addresses, resolvedFromName: true);
    }

    /// <summary>Whether a single address may be connected to; the sender re-checks pinned addresses with it.</summary>
    internal bool IsAddressAllowed(IPAddress address) =>
        IsAllowListed(address) || !BlockedAddressRanges.TryFind(address, out _, out _);

    private string? CheckScheme(Uri uri)
    {
        if (uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && options.AllowHttp))
        {
            return null;
        }

        return uri.Scheme == Uri.UriSchemeHttp
            ? "webhook URL uses http, which Webhooks:AllowHttp=false forbids; use an https:// URL"
            : $"webhook URL scheme '{uri.Scheme}' is not allowed; use https:// (or http:// "
                + "while Webhooks:AllowHttp is true)";
    }

    private WebhookTargetCheck CheckAddresses(Uri uri, string host, IPAddress[] addresses, bool resolvedFromName)
    {
        var vetted = new List<IPAddress>(addresses.Length);
        foreach (var raw in addresses)
        {
            var address = CidrRange.Normalize(raw);
            if (!IsAllowListed(address) && BlockedAddressRanges.TryFind(address, out var range, out var kind))
            {
                var subject = resolvedFromName
                    ? $"webhook host {host} resolves to {address}, which is" : $"webhook host {host} is";
                return WebhookTargetCheck.Refuse($"{subject} {kind} ({range}); {Advice}");
            }

            if (!vetted.Contains(address))
            {
                vetted.Add(address);
            }
        }

        return WebhookTargetCheck.Allow(uri, vetted);
    }

    private bool IsAllowListed(IPAddress address) => Array.Exists(allowed, range => range.Contains(address));
}

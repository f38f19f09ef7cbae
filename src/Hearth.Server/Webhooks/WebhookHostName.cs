using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Net;

namespace Hearth.Server.Webhooks;

/// <summary>Host-name rules for webhook URLs, kept apart from address rules so each stays small.</summary>
internal static class WebhookHostName
{
    private static readonly SearchValues<char> HexDigits = SearchValues.Create("0123456789abcdef");

    /// <summary>
    /// Gets the IP address a URL names directly. Besides the forms <see cref="Uri"/> already normalises
    /// (decimal <c>2130706433</c>, octal <c>0177.0.0.1</c>, hex <c>0x7f000001</c>), this catches hosts that
    /// only become an address after IDN mapping, such as full-width digits or ideographic dots.
    /// </summary>
    public static bool TryGetLiteralAddress(Uri uri, [NotNullWhen(true)] out IPAddress? address)
    {
        if (uri.HostNameType is UriHostNameType.IPv4 or UriHostNameType.IPv6)
        {
            // Host drops an IPv6 zone id ("%25eth0") that would stop IPAddress from parsing it.
            return IPAddress.TryParse(uri.Host.Trim('[', ']'), out address);
        }

        return IPAddress.TryParse(Canonical(uri), out address);
    }

    /// <summary>The host as DNS will see it: IDN-mapped, lower case, without a trailing dot.</summary>
    public static string Canonical(Uri uri) => uri.IdnHost.TrimEnd('.').ToLowerInvariant();

    /// <summary>Returns why a host name is refused before any lookup, or <see langword="null"/> if it may be
    /// resolved.</summary>
    public static string? CheckName(string host)
    {
        if (host.Length == 0)
        {
            return "webhook URL has no host; give a full URL such as https://example.com/hook";
        }

        if (host == "localhost" || host.EndsWith(".localhost", StringComparison.Ordinal))
        {
            return $"webhook host {host} is a loopback name; Hearth refuses localhost targets, allow-list the address "
                + "range in Webhooks:AllowedCidrs and use the IP instead";
        }

        if (host.EndsWith(".internal", StringComparison.Ordinal))
        {
            return $"webhook host {host} is an internal name (such as a cloud metadata host); use a public host name";
        }

        // Resolvers may still read a numeric-looking name as an address ("08.0.0.1", "1.2.3.4.5"), and no public
        // top-level domain is numeric, so such a host can only be an odd IP encoding (WHATWG URL treats it the same).
        var lastLabel = host[(host.LastIndexOf('.') + 1)..];
        if (IsNumericLabel(lastLabel))
        {
            return $"webhook host {host} looks like an IP address in an unusual encoding; write the address as a plain "
                + "dotted quad or use a host name";
        }

        return null;
    }

    private static bool IsNumericLabel(string label)
    {
        if (label.StartsWith("0x", StringComparison.Ordinal))
        {
            return !label.AsSpan(2).ContainsAnyExcept(HexDigits);
        }

        return label.Length > 0 && !label.AsSpan().ContainsAnyExceptInRange('0', '9');
    }
}

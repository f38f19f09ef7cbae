using System.Net;
using System.Net.Sockets;

namespace Hearth.Server.Webhooks;

/// <summary>
/// The address ranges a webhook must never reach unless an operator allow-lists them: everything that
/// leads back into the host, its network or the cloud's metadata service (OWASP API7, spec S6).
/// </summary>
internal static class BlockedAddressRanges
{
    // First match wins, so the specific IPv6 entries come before ::/96, which contains them.
    private static readonly (CidrRange Range, string Kind)[] Ranges =
    [
        (CidrRange.Parse("0.0.0.0/8"), "a 'this network' address, which Linux treats as local"),
        (CidrRange.Parse("10.0.0.0/8"), "a private address"),
        (CidrRange.Parse("100.64.0.0/10"), "a carrier-grade NAT (CGNAT) address"),
        (CidrRange.Parse("127.0.0.0/8"), "a loopback address"),
        (CidrRange.Parse("169.254.0.0/16"), "a link-local address, where cloud metadata services live"),
        (CidrRange.Parse("172.16.0.0/12"), "a private address"),
        // Holds Oracle Cloud's metadata endpoint (192.0.0.192) among other special-purpose addresses.
        (CidrRange.Parse("192.0.0.0/24"), "an IETF special-purpose address"),
        (CidrRange.Parse("192.168.0.0/16"), "a private address"),
        (CidrRange.Parse("198.18.0.0/15"), "a benchmarking-network address"),
        (CidrRange.Parse("224.0.0.0/4"), "a multicast address"),
        (CidrRange.Parse("240.0.0.0/4"), "a reserved or broadcast address"),
        (CidrRange.Parse("::/128"), "the unspecified address"),
        (CidrRange.Parse("::1/128"), "a loopback address"),
        (CidrRange.Parse("::/96"), "a deprecated IPv4-compatible address"),
        (CidrRange.Parse("fc00::/7"), "a unique-local (private) address"),
        (CidrRange.Parse("fe80::/10"), "a link-local address"),
        (CidrRange.Parse("fec0::/10"), "a deprecated site-local (private) address"),
        (CidrRange.Parse("ff00::/8"), "a multicast address"),
    ];

    // Translation prefixes carry an IPv4 address inside, and a NAT64 or 6to4 gateway would deliver to it.
    private static readonly CidrRange Nat64 = CidrRange.Parse("64:ff9b::/96");
    private static readonly CidrRange SixToFour = CidrRange.Parse("2002::/16");

    /// <summary>Finds the blocked range holding <paramref name="address"/>, looking inside translated IPv6
    /// forms.</summary>
    /// <param name="address">The address to test; IPv4-mapped IPv6 is tested as IPv4.</param>
    /// <param name="range">The matching range, shown to the operator.</param>
    /// <param name="kind">What the range is, phrased to follow "is".</param>
    /// <returns><see langword="true"/> when the address is blocked.</returns>
    public static bool TryFind(IPAddress address, out CidrRange? range, out string? kind)
    {
        address = CidrRange.Normalize(address);
        foreach (var (candidate, candidateKind) in Ranges)
        {
            if (candidate.Contains(address))
            {
                (range, kind) = (candidate, candidateKind);
                return true;
            }
        }

        if (TryEmbeddedIPv4(address, out var inner) && TryFind(inner, out range, out var innerKind))
        {
            kind = $"{innerKind} embedded in an IPv6 translation address";
            return true;
        }

        (range, kind) = (null, null);
        return false;
    }

    private static bool TryEmbeddedIPv4(IPAddress address, out IPAddress inner)
    {
        inner = IPAddress.None;
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return false;
        }

        var bytes = address.GetAddressBytes();
        if (Nat64.Contains(address))
        {
            inner = new IPAddress(bytes.AsSpan(12, 4));
            return true;
        }

        if (SixToFour.Contains(address))
        {
            inner = new IPAddress(bytes.AsSpan(2, 4));
            return true;
        }

        return false;
    }
}

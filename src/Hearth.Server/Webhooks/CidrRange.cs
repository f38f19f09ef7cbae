using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Hearth.Server.Webhooks;

/// <summary>
/// An IPv4 or IPv6 address range in CIDR notation, such as <c>10.0.0.0/8</c> or <c>fc00::/7</c>.
/// </summary>
public sealed class CidrRange
{
    private readonly byte[] network;

    private CidrRange(byte[] network, int prefixLength)
    {
        this.network = network;
        PrefixLength = prefixLength;
    }

    /// <summary>The number of leading bits an address must share with the range.</summary>
    public int PrefixLength { get; }

    /// <summary>Parses <c>address/prefix</c>; a bare address means that one address (/32 or /128).</summary>
    /// <param name="text">The text to parse.</param>
    /// <param name="range">The parsed range, when the text is valid.</param>
    /// <returns><see langword="true"/> when <paramref name="text"/> is a valid range.</returns>
    public static bool TryParse(string? text, [NotNullWhen(true)] out CidrRange? range)
    {
        range = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var slash = text.IndexOf('/', StringComparison.Ordinal);
        var addressText = slash < 0 ? text : text[..slash];
        if (!IPAddress.TryParse(addressText, out var address))
        {
            return false;
        }

        // IPAddress also accepts inet_aton shorthands, so "10/8" would quietly mean 0.0.0.10/8 (that is, 0.0.0.0/8);
        // an allow-list entry must be unambiguous, so IPv4 must be written as a dotted quad.
        if (address.AddressFamily == AddressFamily.InterNetwork && address.ToString() != addressText)
        {
            return false;
        }

        // Ranges compare raw bytes, so a scope id or a mapped form would silently never match.
        address = Normalize(address);
        var bytes = address.GetAddressBytes();
        var maxPrefix = bytes.Length * 8;
        var prefix = maxPrefix;
        if (slash >= 0
            && (!int.TryParse(text.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out prefix)
                || prefix > maxPrefix))
        {
            return false;
        }

        range = new CidrRange(Mask(bytes, prefix), prefix);
        return true;
    }

    /// <summary>Parses <c>address/prefix</c>, throwing when the text is not a valid range.</summary>
    /// <param name="text">The text to parse.</param>
    /// <returns>The range.</returns>
    /// <exception cref="FormatException"><paramref name="text"/> is not a CIDR range.</exception>
    public static CidrRange Parse(string text) =>
        TryParse(text, out var range)
            ? range : throw new FormatException($"'{text}' is not a CIDR range such as 10.0.0.0/8 or fc00::/7.");

    /// <summary>
    /// Whether <paramref name="address"/> lies in this range. IPv4-mapped IPv6 addresses are compared as IPv4,
    /// so <c>::ffff:127.0.0.1</c> is inside <c>127.0.0.0/8</c>.
    /// </summary>
    /// <param name="address">The address to test.</param>
    /// <returns><see langword="true"/> when the address is inside the range.</returns>
    public bool Contains(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        var bytes = Normalize(address).GetAddressBytes();
        return bytes.Length == network.Length && Mask(bytes, PrefixLength).AsSpan().SequenceEqual(network);
    }

    /// <summary>The range in canonical <c>network/prefix</c> form.</summary>
    /// <returns>For example <c>10.0.0.0/8</c>.</returns>
    public override string ToString() => $"{new IPAddress(network)}/{PrefixLength}";

    internal static IPAddress Normalize(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4();
        }

        return address.AddressFamily == AddressFamily.InterNetworkV6 && address.ScopeId != 0
            ? new IPAddress(address.GetAddressBytes())
            : address;
    }

    private static byte[] Mask(byte[] bytes, int prefixLength)
    {
        var masked = new byte[bytes.Length];
        for (var i = 0; i < bytes.Length; i++)
        {
            var bitsInByte = Math.Clamp(prefixLength - (i * 8), 0, 8);
            masked[i] = (byte)(bytes[i] & (byte)(0xFF << (8 - bitsInByte)));
        }

        return masked;
    }
}

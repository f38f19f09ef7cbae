using System.Net;
using Hearth.Server.Webhooks;

namespace Hearth.Server.Tests.Webhooks;

public sealed class CidrRangeTests
{
    [Theory]
    [InlineData("10.0.0.0/8", "10.255.1.2", true)]
    [InlineData("10.0.0.0/8", "11.0.0.0", false)]
    [InlineData("172.16.0.0/12", "172.31.255.255", true)]
    [InlineData("172.16.0.0/12", "172.32.0.0", false)]
    [InlineData("100.64.0.0/10", "100.127.0.1", true)]
    [InlineData("100.64.0.0/10", "100.128.0.1", false)]
    [InlineData("127.0.0.0/8", "::ffff:127.0.0.1", true)]
    [InlineData("0.0.0.0/0", "8.8.8.8", true)]
    [InlineData("0.0.0.0/0", "::1", false)]
    [InlineData("192.168.1.7", "192.168.1.7", true)]
    [InlineData("192.168.1.7", "192.168.1.8", false)]
    [InlineData("10.1.2.3/8", "10.9.9.9", true)]
    [InlineData("fc00::/7", "fdff::1", true)]
    [InlineData("fc00::/7", "fe00::1", false)]
    [InlineData("fe80::/10", "febf::1", true)]
    [InlineData("fe80::/10", "fec0::1", false)]
    [InlineData("fe80::/10", "fe80::1%3", true)]
    [InlineData("2001:db8::/33", "2001:db8:7fff::1", true)]
    [InlineData("2001:db8::/33", "2001:db8:8000::1", false)]
    [InlineData("::/0", "2606:4700::1", true)]
    [InlineData("::/0", "1.1.1.1", false)]
    public void Contains_matches_by_prefix(string cidr, string address, bool expected)
    {
        Assert.Equal(expected, CidrRange.Parse(cidr).Contains(IPAddress.Parse(address)));
    }

    [Theory]
    [InlineData("10.0.0.0/8", "10.0.0.0/8")]
    [InlineData("10.1.2.3/8", "10.0.0.0/8")]
    [InlineData("fc00:0::/7", "fc00::/7")]
    [InlineData("192.168.1.7", "192.168.1.7/32")]
    public void ToString_is_canonical(string cidr, string expected)
    {
        Assert.Equal(expected, CidrRange.Parse(cidr).ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("10.0.0.0/33")]
    [InlineData("::/129")]
    [InlineData("10.0.0.0/-1")]
    [InlineData("10.0.0.0/ 8")]
    [InlineData("10/8")]
    [InlineData("0x0a000000/8")]
    [InlineData("example.com/24")]
    [InlineData("10.0.0.0/")]
    public void TryParse_rejects_ambiguous_or_invalid_text(string text)
    {
        Assert.False(CidrRange.TryParse(text, out _));
    }
}

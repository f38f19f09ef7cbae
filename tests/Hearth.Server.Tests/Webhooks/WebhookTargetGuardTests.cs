using System.Net;
using Hearth.Server.Webhooks;
using Microsoft.Extensions.Options;

namespace Hearth.Server.Tests.Webhooks;

/// <summary>Spec S6 literal addresses, odd encodings, refused names and schemes; none of them may reach a resolver.</summary>
public sealed class WebhookTargetGuardTests
{
    private readonly FakeResolver resolver = new();

    [Theory]
    // The S6 list, literal addresses.
    [InlineData("http://169.254.169.254/latest/meta-data/", "169.254.0.0/16")]
    [InlineData("http://127.0.0.1", "127.0.0.0/8")]
    [InlineData("http://[::1]", "::1/128")]
    [InlineData("http://0.0.0.0", "0.0.0.0/8")]
    [InlineData("http://10.0.0.1", "10.0.0.0/8")]
    [InlineData("http://172.16.0.1", "172.16.0.0/12")]
    [InlineData("http://192.168.1.1", "192.168.0.0/16")]
    [InlineData("http://100.64.0.1", "100.64.0.0/10")]
    [InlineData("http://[fc00::1]", "fc00::/7")]
    [InlineData("http://[fe80::1]", "fe80::/10")]
    [InlineData("http://[::ffff:127.0.0.1]", "127.0.0.0/8")]
    // S6 encoded forms, and more of the same family.
    [InlineData("http://2130706433/", "127.0.0.0/8")]
    [InlineData("http://0177.0.0.1/", "127.0.0.0/8")]
    [InlineData("http://0x7f000001/", "127.0.0.0/8")]
    [InlineData("http://0x7f.1/", "127.0.0.0/8")]
    [InlineData("http://127.1/", "127.0.0.0/8")]
    [InlineData("http://017700000001/", "127.0.0.0/8")]
    [InlineData("http://0/", "0.0.0.0/8")]
    [InlineData("http://[::ffff:7f00:1]/", "127.0.0.0/8")]
    [InlineData("http://[::ffff:a9fe:a9fe]/", "169.254.0.0/16")]
    [InlineData("http://[fe80::1%25eth0]/", "fe80::/10")]
    [InlineData("http://[64:ff9b::a9fe:a9fe]/", "169.254.0.0/16")]
    [InlineData("http://[2002:7f00:1::]/", "127.0.0.0/8")]
    [InlineData("http://[::127.0.0.1]/", "::/96")]
    [InlineData("http://[::]/", "::/128")]
    [InlineData("http://192.0.0.192/opc/v2/instance/", "192.0.0.0/24")]
    [InlineData("http://224.0.0.1/", "224.0.0.0/4")]
    [InlineData("http://255.255.255.255/", "240.0.0.0/4")]
    [InlineData("http://[ff02::1]/", "ff00::/8")]
    [InlineData("http://[fd12:3456::1]:8080/", "fc00::/7")]
    [InlineData("https://10.0.0.1:443/hook?token=x", "10.0.0.0/8")]
    public async Task Blocked_addresses_are_refused_without_a_lookup(string url, string range)
    {
        var check = await Guard().CheckAsync(url);

        Assert.False(check.Allowed);
        Assert.Contains($"({range})", check.Reason, StringComparison.Ordinal);
        Assert.Contains("Webhooks:AllowedCidrs", check.Reason, StringComparison.Ordinal);
        Assert.Empty(check.Addresses);
        Assert.Equal(0, resolver.Calls);
    }

    // Depending on the globalization mode, IDN mapping turns these into 127.0.0.1 (refused as a literal) or into
    // punycode (an ordinary name); either way they are refused, and no resolver is ever handed an address.
    [Theory]
    [InlineData("http://①②⑦.0.0.1/")]
    [InlineData("http://１２７.０.０.１/")]
    [InlineData("http://127。0。0。1/")]
    [InlineData("http://127．0．0．1/")]
    public async Task Unicode_lookalikes_of_a_loopback_address_are_refused(string url)
    {
        var check = await Guard().CheckAsync(url);

        Assert.False(check.Allowed);
        Assert.False(IPAddress.TryParse(resolver.LastHost ?? "not-an-address", out _));
    }

    [Fact]
    public async Task A_private_literal_gets_a_reason_a_person_can_act_on()
    {
        var check = await Guard().CheckAsync("http://10.0.0.1/hook");

        Assert.Equal(
            "webhook host 10.0.0.1 is a private address (10.0.0.0/8); Hearth refuses private, loopback, link-local and metadata targets unless allow-listed in Webhooks:AllowedCidrs",
            check.Reason);
    }

    [Theory]
    [InlineData("http://localhost/", "loopback name")]
    [InlineData("http://LOCALHOST./", "loopback name")]
    [InlineData("http://api.localhost:8080/", "loopback name")]
    [InlineData("http://metadata.google.internal/computeMetadata/v1/", "internal name")]
    [InlineData("http://db.internal./", "internal name")]
    [InlineData("http://08.0.0.1/", "unusual encoding")]
    [InlineData("http://1.2.3.4.5/", "unusual encoding")]
    [InlineData("http://999.1.1.1/", "unusual encoding")]
    [InlineData("http://example.0x1/", "unusual encoding")]
    [InlineData("http://[127.0.0.1]/", "not a valid absolute URL")]
    [InlineData("http://[localhost]/", "not a valid absolute URL")]
    [InlineData("http://%31%32%37.0.0.1/", "not a valid absolute URL")]
    [InlineData("/hooks/relative", "scheme 'file'")]
    [InlineData("hooks/relative", "not a valid absolute URL")]
    [InlineData("", "not a valid absolute URL")]
    [InlineData("file:///etc/passwd", "scheme 'file'")]
    [InlineData("gopher://example.com:70/_GET", "scheme 'gopher'")]
    [InlineData("ftp://example.com/", "scheme 'ftp'")]
    [InlineData("http://user:pass@example.com/", "credentials")]
    [InlineData("https://token@example.com/", "credentials")]
    public async Task Refused_names_and_forms_never_reach_the_resolver(string url, string reasonPart)
    {
        var check = await Guard().CheckAsync(url);

        Assert.False(check.Allowed);
        Assert.Contains(reasonPart, check.Reason, StringComparison.Ordinal);
        Assert.Equal(0, resolver.Calls);
    }

    [Fact]
    public async Task Credentials_are_not_repeated_in_the_reason()
    {
        var check = await Guard().CheckAsync("http://admin:s3cr3t@example.com/");

        Assert.DoesNotContain("s3cr3t", check.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://8.8.8.8/hook", "8.8.8.8")]
    [InlineData("https://[2606:4700:4700::1111]/hook", "2606:4700:4700::1111")]
    [InlineData("https://[::ffff:8.8.8.8]/hook", "8.8.8.8")]
    public async Task Public_literals_are_allowed_without_a_lookup(string url, string address)
    {
        var check = await Guard().CheckAsync(url);

        Assert.True(check.Allowed);
        Assert.Equal([IPAddress.Parse(address)], check.Addresses);
        Assert.Equal(0, resolver.Calls);
    }

    private WebhookTargetGuard Guard(Action<WebhookOptions>? configure = null)
    {
        var options = new WebhookOptions();
        configure?.Invoke(options);
        return new WebhookTargetGuard(Options.Create(options), resolver.ResolveAsync);
    }
}

using System.Net;
using System.Net.Sockets;
using Hearth.Server.Webhooks;
using Microsoft.Extensions.Options;
using Xunit;

namespace Hearth.Server.Tests.Webhooks;

/// <summary>Spec S6 targets that need no network; names resolve through a fake resolver.</summary>
public sealed class WebhookTargetGuardTests
{
    private static readonly IPAddress PublicV4 = IPAddress.Parse("93.184.215.14");

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
    [InlineData("10.0.0.5")]
    [InlineData("::ffff:10.0.0.5")]
    [InlineData("169.254.169.254")]
    [InlineData("fd00::5")]
    public async Task A_name_is_refused_when_any_address_it_resolves_to_is_blocked(string blocked)
    {
        resolver.Answer("hook.example.com", PublicV4, IPAddress.Parse(blocked));

        var check = await Guard().CheckAsync("https://hook.example.com/path");

        Assert.False(check.Allowed);
        Assert.StartsWith("webhook host hook.example.com resolves to ", check.Reason, StringComparison.Ordinal);
        Assert.Equal(1, resolver.Calls);
    }

    [Fact]
    public async Task A_public_name_is_allowed_with_its_vetted_addresses()
    {
        var v6 = IPAddress.Parse("2606:2800:21f:cb07:6820:80da:af6b:8b2c");
        resolver.Answer("hook.example.com", PublicV4, v6, PublicV4);

        var check = await Guard().CheckAsync("https://Hook.Example.com./path?x=1");

        Assert.True(check.Allowed);
        Assert.Null(check.Reason);
        Assert.Equal([PublicV4, v6], check.Addresses);
        Assert.Equal("hook.example.com", resolver.LastHost);
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

    [Fact]
    public async Task A_name_that_does_not_resolve_is_refused()
    {
        var check = await Guard().CheckAsync("https://nowhere.example.com/");

        Assert.False(check.Allowed);
        Assert.Contains("did not resolve", check.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_name_that_rebinds_to_a_private_address_is_refused_on_the_next_check()
    {
        resolver.Answer("rebind.example.com", PublicV4);
        var guard = Guard();
        Assert.True((await guard.CheckAsync("https://rebind.example.com/")).Allowed);

        resolver.Answer("rebind.example.com", IPAddress.Parse("169.254.169.254"));

        Assert.False((await guard.CheckAsync("https://rebind.example.com/")).Allowed);
    }

    [Fact]
    public async Task Http_is_refused_when_AllowHttp_is_off_but_https_is_not()
    {
        var guard = Guard(o => o.AllowHttp = false);

        var http = await guard.CheckAsync("http://8.8.8.8/");
        var https = await guard.CheckAsync("https://8.8.8.8/");

        Assert.False(http.Allowed);
        Assert.Contains("Webhooks:AllowHttp", http.Reason, StringComparison.Ordinal);
        Assert.True(https.Allowed);
    }

    [Theory]
    [InlineData("http://10.1.2.3/", true)]
    [InlineData("http://[::ffff:10.1.255.255]/", true)]
    [InlineData("http://10.2.0.1/", false)]
    [InlineData("http://10.0.255.255/", false)]
    [InlineData("http://127.0.0.1/", false)]
    [InlineData("http://169.254.169.254/", false)]
    [InlineData("http://localhost/", false)]
    public async Task An_allow_listed_cidr_allows_that_range_and_only_that_one(string url, bool expected)
    {
        var check = await Guard(o => o.AllowedCidrs.Add("10.1.0.0/16")).CheckAsync(url);

        Assert.Equal(expected, check.Allowed);
    }

    [Fact]
    public async Task An_allow_listed_cidr_also_covers_names_resolving_into_it()
    {
        resolver.Answer("build.corp.example", IPAddress.Parse("10.1.0.9"));

        var check = await Guard(o => o.AllowedCidrs.Add("10.1.0.0/16")).CheckAsync("http://build.corp.example/");

        Assert.True(check.Allowed);
    }

    private WebhookTargetGuard Guard(Action<WebhookOptions>? configure = null)
    {
        var options = new WebhookOptions();
        configure?.Invoke(options);
        return new WebhookTargetGuard(Options.Create(options), resolver.ResolveAsync);
    }

    /// <summary>Answers only for names a test set up; anything else behaves like NXDOMAIN.</summary>
    internal sealed class FakeResolver
    {
        private readonly Dictionary<string, IPAddress[]> answers = [];

        public int Calls { get; private set; }

        public string? LastHost { get; private set; }

        public void Answer(string host, params IPAddress[] addresses) => answers[host] = addresses;

        public Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken)
        {
            Calls++;
            LastHost = host;
            return answers.TryGetValue(host, out var addresses)
                ? Task.FromResult(addresses)
                : Task.FromException<IPAddress[]>(new SocketException((int)SocketError.HostNotFound));
        }
    }
}

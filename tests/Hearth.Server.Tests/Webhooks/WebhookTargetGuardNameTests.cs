using System.Net;
using Hearth.Server.Webhooks;
using Microsoft.Extensions.Options;

namespace Hearth.Server.Tests.Webhooks;

/// <summary>Spec S6 for host names (through a fake resolver), the http switch and the operator allow-list.</summary>
public sealed class WebhookTargetGuardNameTests
{
    private static readonly IPAddress PublicV4 = IPAddress.Parse("93.184.215.14");

    private readonly FakeResolver resolver = new();

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

    [Fact]
    public async Task A_name_that_does_not_resolve_is_refused()
    {
        var check = await Guard().CheckAsync("https://nowhere.example.com/");

        Assert.False(check.Allowed);
        Assert.Contains("did not resolve", check.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_name_the_resolver_rejects_as_malformed_is_refused()
    {
        var guard = new WebhookTargetGuard(Options.Create(new WebhookOptions()), (_, _) => throw new ArgumentOutOfRangeException("hostName"));

        var check = await guard.CheckAsync($"https://{new string('a', 63)}.{new string('b', 63)}.{new string('c', 63)}.{new string('d', 63)}.example/");

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
}

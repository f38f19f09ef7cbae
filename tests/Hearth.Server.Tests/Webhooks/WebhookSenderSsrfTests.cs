using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Hearth.Server.Webhooks;
using Hearth.Testing;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using static Hearth.Server.Tests.Webhooks.WebhookSenderHarness;

namespace Hearth.Server.Tests.Webhooks;

/// <summary>Spec S6 at delivery time: refused targets, redirects, address pinning and DNS rebinding.</summary>
public sealed class WebhookSenderSsrfTests
{
    private readonly WebhookSenderHarness harness = new();

    [Theory]
    [InlineData("http://127.0.0.1:{0}/")]
    [InlineData("http://localhost:{0}/")]
    [InlineData("http://2130706433:{0}/")]
    [InlineData("http://0x7f000001:{0}/")]
    [InlineData("http://0177.0.0.1:{0}/")]
    [InlineData("http://[::ffff:127.0.0.1]:{0}/")]
    [InlineData("http://user:pass@127.0.0.1:{0}/")]
    [InlineData("http://loopback.example.com:{0}/")]
    public async Task A_refused_target_gets_no_connection(string urlFormat)
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            using var sender = harness.Sender(allowLoopback: false, resolver: Resolve("loopback.example.com", IPAddress.Loopback));

            var url = string.Format(CultureInfo.InvariantCulture, urlFormat, port);
            var result = await sender.DeliverAsync(url, "msg_ssrf", Body).Within(Safety, $"the refusal of {url}");

            Assert.Equal(WebhookDeliveryOutcome.Refused, result.Outcome);
            Assert.Equal(0, result.Attempts);
            Assert.False(listener.Pending());
        }
        finally
        {
            listener.Stop();
        }
    }

    [Fact]
    public async Task A_302_is_not_followed()
    {
        await using var elsewhere = await WebhookReceiver.StartAsync(StatusCodes.Status200OK);
        await using var redirector = await WebhookReceiver.StartAsync((_, context) =>
        {
            context.Response.Redirect(elsewhere.Url.ToString());
            return Task.CompletedTask;
        });
        using var sender = harness.Sender(o => o.MaxAttempts = 1);

        var result = await sender.DeliverAsync(redirector.Url.ToString(), "msg_redirect", Body).WaitAsync(Safety);

        Assert.Equal(WebhookDeliveryOutcome.Failed, result.Outcome);
        Assert.Equal(302, result.LastStatusCode);
        Assert.Single(redirector.Received);
        Assert.Empty(elsewhere.Received);
    }

    [Fact]
    public async Task The_connection_goes_to_the_vetted_address_not_a_fresh_lookup()
    {
        await using var receiver = await WebhookReceiver.StartAsync(StatusCodes.Status200OK);
        // No real DNS knows this name, so reaching the receiver proves the pinned address was used.
        using var sender = harness.Sender(resolver: Resolve("hooks.example.invalid", IPAddress.Loopback));

        var result = await sender.DeliverAsync($"http://hooks.example.invalid:{receiver.Url.Port}/", "msg_pin", Body).WaitAsync(Safety);

        Assert.True(result.Delivered);
        Assert.Single(receiver.Received);
    }

    [Fact]
    public async Task A_name_that_rebinds_after_registration_is_refused_at_delivery()
    {
        await using var receiver = await WebhookReceiver.StartAsync(StatusCodes.Status200OK);
        var answers = new Queue<IPAddress>([IPAddress.Loopback, IPAddress.Parse("169.254.169.254")]);
        var guard = new WebhookTargetGuard(Options.Create(LoopbackOptions()), (_, _) => Task.FromResult(new[] { answers.Dequeue() }));
        var url = $"http://rebind.example.invalid:{receiver.Url.Port}/";
        Assert.True((await guard.CheckAsync(url)).Allowed);
        using var sender = new WebhookSender(Options.Create(LoopbackOptions()), guard, harness.Signer, harness.Time, harness.Logger);

        var result = await sender.DeliverAsync(url, "msg_rebind", Body).WaitAsync(Safety);

        Assert.Equal(WebhookDeliveryOutcome.Refused, result.Outcome);
        Assert.Contains("169.254.169.254", result.Reason, StringComparison.Ordinal);
        Assert.Empty(receiver.Received);
    }
}

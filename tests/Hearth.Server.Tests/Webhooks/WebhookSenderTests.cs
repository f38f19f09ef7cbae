using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Hearth.Server.Webhooks;
using Microsoft.AspNetCore.Http;
using static Hearth.Server.Tests.Webhooks.WebhookSenderHarness;

namespace Hearth.Server.Tests.Webhooks;

/// <summary>Delivery, signing and retries against real Kestrel receivers on loopback; the clock is fake.</summary>
public sealed class WebhookSenderTests
{
    private readonly WebhookSenderHarness harness = new();

    [Fact]
    public async Task A_delivery_carries_a_valid_signature_and_the_exact_body()
    {
        await using var receiver = await WebhookReceiver.StartAsync(StatusCodes.Status204NoContent);
        using var sender = harness.Sender();

        var result = await sender.DeliverAsync(receiver.Url.ToString(), "msg_one", Body).WaitAsync(Safety);

        Assert.Equal(new WebhookDeliveryResult(WebhookDeliveryOutcome.Delivered, 1, 204, null), result);
        var request = Assert.Single(receiver.Received);
        Assert.Equal("application/json", request.ContentType);
        Assert.Equal(Body, request.Body);
        Assert.Equal("msg_one", request.Id);
        Assert.True(harness.Signer.Verify(request.Id!, request.Timestamp!, request.Signature!, request.Body, harness.Time));
    }

    [Fact]
    public async Task Two_500s_then_a_200_take_three_attempts_with_the_same_id_ten_seconds_apart()
    {
        await using var receiver = await WebhookReceiver.StartAsync((n, context) =>
        {
            context.Response.StatusCode = n <= 2 ? StatusCodes.Status500InternalServerError : StatusCodes.Status200OK;
            return Task.CompletedTask;
        });
        using var sender = harness.Sender();

        var delivery = sender.DeliverAsync(receiver.Url.ToString(), "msg_retry", Body);
        for (var attempt = 1; attempt <= 2; attempt++)
        {
            await receiver.WhenSeen(attempt).WaitAsync(Safety);
            await harness.Time.WaitForTimerAsync(RetryDelay).WaitAsync(Safety);
            Assert.Equal(attempt, receiver.Received.Count);
            harness.Time.Fake.Advance(RetryDelay);
        }

        var result = await delivery.WaitAsync(Safety);

        Assert.Equal(new WebhookDeliveryResult(WebhookDeliveryOutcome.Delivered, 3, 200, null), result);
        Assert.Equal(3, receiver.Received.Count);
        Assert.All(receiver.Received, r => Assert.Equal("msg_retry", r.Id));
        var timestamps = receiver.Received.Select(r => long.Parse(r.Timestamp!, CultureInfo.InvariantCulture)).ToList();
        Assert.Equal([timestamps[0], timestamps[0] + 10, timestamps[0] + 20], timestamps);
        Assert.All(receiver.Received, r => Assert.True(harness.Signer.Verify(r.Id!, r.Timestamp!, r.Signature!, r.Body, harness.Time)));
    }

    [Fact]
    public async Task After_MaxAttempts_failures_it_gives_up_without_returning_the_response_body()
    {
        await using var receiver = await WebhookReceiver.StartAsync(async (_, context) =>
        {
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            await context.Response.WriteAsync("internal-only: db password is hunter2");
        });
        using var sender = harness.Sender(o => o.MaxAttempts = 2);

        var delivery = sender.DeliverAsync(receiver.Url.ToString(), "msg_fail", Body);
        await harness.Time.WaitForTimerAsync(RetryDelay).WaitAsync(Safety);
        harness.Time.Fake.Advance(RetryDelay);
        var result = await delivery.WaitAsync(Safety);

        Assert.Equal(WebhookDeliveryOutcome.Failed, result.Outcome);
        Assert.Equal(2, result.Attempts);
        Assert.Equal(503, result.LastStatusCode);
        Assert.Equal("webhook delivery failed after 2 attempts; the last one got HTTP 503", result.Reason);
        Assert.DoesNotContain(harness.Logger.Lines, line => line.Contains("hunter2", StringComparison.Ordinal));
        harness.AssertLogsHoldNoSecretOrBody();
    }

    [Fact]
    public async Task An_attempt_that_hangs_times_out_on_the_injected_clock()
    {
        await using var receiver = await WebhookReceiver.StartAsync((_, context) => Task.Delay(Timeout.Infinite, context.RequestAborted));
        using var sender = harness.Sender(o => o.MaxAttempts = 1);

        var delivery = sender.DeliverAsync(receiver.Url.ToString(), "msg_slow", Body);
        await receiver.WhenSeen(1).WaitAsync(Safety);
        await harness.Time.WaitForTimerAsync(RequestTimeout).WaitAsync(Safety);
        harness.Time.Fake.Advance(RequestTimeout);
        var result = await delivery.WaitAsync(Safety);

        Assert.Equal(WebhookDeliveryOutcome.Failed, result.Outcome);
        Assert.Null(result.LastStatusCode);
        Assert.EndsWith("timed out after 00:00:30", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_closed_port_is_a_failed_attempt()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        using var sender = harness.Sender(o => o.MaxAttempts = 1);

        var result = await sender.DeliverAsync($"http://127.0.0.1:{port}/", "msg_closed", Body).WaitAsync(Safety);

        Assert.Equal(WebhookDeliveryOutcome.Failed, result.Outcome);
        Assert.EndsWith("could not connect or lost the connection", result.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("msg 1")]
    [InlineData("msg_1\r\nX-Injected: yes")]
    [InlineData("")]
    public async Task A_webhook_id_that_cannot_travel_in_a_header_is_rejected(string webhookId)
    {
        using var sender = harness.Sender();

        await Assert.ThrowsAnyAsync<ArgumentException>(() => sender.DeliverAsync("https://8.8.8.8/", webhookId, Body));
    }
}

using System.Text.Json.Nodes;
using Hearth.Server.Hosting;
using Hearth.Server.Tests.Fixtures;
using Hearth.Server.Tests.Webhooks;
using Hearth.Server.Webhooks;
using Microsoft.Extensions.DependencyInjection;

namespace Hearth.Server.Tests.Jobs;

/// <summary>A job's final state reaches its webhook once, signed, with the status body.</summary>
public sealed class WebhookDeliveryTests(GarnetStoreFixture store) : IClassFixture<GarnetStoreFixture>
{
    [Fact]
    public async Task A_cancelled_job_posts_its_final_status_once_with_a_valid_signature()
    {
        var ep = GarnetStoreFixture.UniqueEndpoint("hook");
        await using var receiver = await WebhookReceiver.StartAsync(200);
        await using var server = await TestServer.StartAsync(store.Host, o => o.Endpoints.Add(new EndpointOptions { Name = ep }));
        var id = await server.RunAsync(ep, $$"""{"input":1,"webhook":"{{receiver.Url}}done"}""");
        await server.Client.PostAsync($"/v2/{ep}/cancel/{id}", null);

        await server.Sweeper.SweepOnceAsync();
        await receiver.WhenSeen(1).WaitAsync(TimeSpan.FromSeconds(20));

        var hook = Assert.Single(receiver.Received);
        var body = JsonNode.Parse(hook.Body)!.AsObject();
        Assert.Equal(id, (string?)body["id"]);
        Assert.Equal("CANCELLED", (string?)body["status"]);
        var signer = server.Services.GetRequiredService<WebhookSigner>();
        Assert.True(signer.Verify(hook.Id!, hook.Timestamp!, hook.Signature!, hook.Body, server.Time));

        // A second sweep finds nothing new to deliver.
        await server.Sweeper.SweepOnceAsync();
        Assert.Single(receiver.Received);
    }

    [Fact]
    public async Task Replicas_sign_with_the_configured_secret_so_a_receiver_verifies_deliveries_from_either()
    {
        var ep = GarnetStoreFixture.UniqueEndpoint("shared-secret");
        var secret = WebhookSigner.GenerateSecret();
        await using var receiver = await WebhookReceiver.StartAsync(200);
        Task<TestServer> Replica() => TestServer.StartAsync(store.Host, o => o.Endpoints.Add(new EndpointOptions { Name = ep }),
            webhooks: w => w.SigningSecret = secret);

        // Replica A delivers the first job's webhook; then it stops and replica B delivers the second's.
        var a = await Replica();
        var first = await a.RunAsync(ep, $$"""{"input":1,"webhook":"{{receiver.Url}}a"}""");
        await a.Client.PostAsync($"/v2/{ep}/cancel/{first}", null);
        await a.Sweeper.SweepOnceAsync();
        await receiver.WhenSeen(1).WaitAsync(TimeSpan.FromSeconds(20));
        await a.DisposeAsync();

        await using var b = await Replica();
        var second = await b.RunAsync(ep, $$"""{"input":2,"webhook":"{{receiver.Url}}b"}""");
        await b.Client.PostAsync($"/v2/{ep}/cancel/{second}", null);
        await b.Sweeper.SweepOnceAsync();
        await receiver.WhenSeen(2).WaitAsync(TimeSpan.FromSeconds(20));

        // The receiver knows only the configured secret, and every delivery verifies with it.
        var verifier = new WebhookSigner(secret);
        Assert.Equal(2, receiver.Received.Count);
        Assert.All(receiver.Received, hook => Assert.True(
            verifier.Verify(hook.Id!, hook.Timestamp!, hook.Signature!, hook.Body, b.Time), $"{hook.Id} did not verify"));
        Assert.Equal(new[] { first, second }.Order(StringComparer.Ordinal),
            receiver.Received.Select(h => (string)JsonNode.Parse(h.Body)!["id"]!).Order(StringComparer.Ordinal));
    }
}

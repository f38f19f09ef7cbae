using Hearth.Client;
using Hearth.Server.Webhooks;
using Hearth.Testing;

namespace Hearth.App.Tests.Hosting;

/// <summary>
/// Webhook settings reach a running `hearth dev` from the environment: a signing secret the receiver knows (so it can
/// verify every delivery, on every replica alike) and a private range the SSRF guard then allows.
/// </summary>
public sealed class DevWebhookTests
{
    [Fact]
    public async Task Dev_signs_webhooks_with_the_secret_from_the_environment_and_allows_the_configured_range()
    {
        var secret = WebhookSigner.GenerateSecret();
        await using var receiver = await HookReceiver.StartAsync();

        var data = Path.Combine(Path.GetTempPath(), "hearth-dev-hook-" + Guid.NewGuid().ToString("N"));
        using var app = AppProcess.Start(AppProcess.Built("src/Hearth.Cli", "hearth.dll"),
            new Dictionary<string, string>
            {
                ["Webhooks__SigningSecret"] = secret,
                ["HEARTH_Webhooks__AllowedCidrs__0"] = "127.0.0.0/8",
            },
            "dev", "--config", "samples/python-worker/hearth.yaml", "--port", "0", "--data", data, "--api-key", "k");
        var address = (await app.WaitForAsync(@"listening on (http://\S+)")).Groups[1].Value;
        await app.WaitForAsync("^Ready in");

        using var client = new HearthClient(new Uri(address + "/v2"), "k");
        var job = await client.Endpoint("py-echo").RunAsync(new EchoInput("hooked"),
            new RunOptions { Webhook = receiver.Url });
        await Eventually.TrueAsync(() => !receiver.Received.IsEmpty, "the webhook of the finished job");

        var (id, timestamp, signature, body) = receiver.Received.Single();
        Assert.StartsWith($"msg_{job.Id}_", id, StringComparison.Ordinal);
        Assert.True(new WebhookSigner(secret).Verify(id, timestamp, signature, body, TimeProvider.System),
            "the delivery was not signed with the configured secret");
        app.Signal("TERM");
        Assert.Equal(0, await app.WaitForExitAsync());
    }
}

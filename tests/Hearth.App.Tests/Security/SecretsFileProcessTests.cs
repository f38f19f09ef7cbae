using Hearth.App.Tests.Hosting;
using Hearth.Client;
using Hearth.Server.Webhooks;
using Hearth.Testing;

namespace Hearth.App.Tests.Security;

/// <summary>
/// Secrets stay off standard output when asked: with --secrets-file a real `hearth dev` writes the keys it generated to
/// a 0600 file (and prints only where they are), and with --webhook-secret-file it signs every webhook with the secret
/// from that file.
/// </summary>
public sealed class SecretsFileProcessTests
{
    [Fact]
    public async Task Generated_keys_go_to_a_0600_file_not_to_stdout_and_webhooks_are_signed_with_the_secret_file()
    {
        var dir = Path.Combine(Path.GetTempPath(), "hearth-secrets-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        var secretsFile = Path.Combine(dir, "secrets.env");
        var webhookSecret = WebhookSigner.GenerateSecret();
        var webhookSecretFile = Path.Combine(dir, "webhook-secret");
        await File.WriteAllTextAsync(webhookSecretFile, webhookSecret + "\n");

        await using var receiver = await HookReceiver.StartAsync();

        using var app = AppProcess.Start(AppProcess.Built("src/Hearth.Cli", "hearth.dll"),
            new Dictionary<string, string> { ["HEARTH_Webhooks__AllowedCidrs__0"] = "127.0.0.0/8" },
            "dev", "--config", "samples/python-worker/hearth.yaml", "--port", "0", "--data", Path.Combine(dir, "data"),
            "--secrets-file", secretsFile, "--webhook-secret-file", webhookSecretFile);
        var address = (await app.WaitForAsync(@"listening on (http://\S+)")).Groups[1].Value;
        await app.WaitForAsync("^Ready in");

        var secrets = File.ReadAllLines(secretsFile).Select(l => l.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(secretsFile));
        }

        Assert.StartsWith("hk_", secrets["HEARTH_API_KEY"], StringComparison.Ordinal);
        Assert.StartsWith("ha_", secrets["HEARTH_ADMIN_KEY"], StringComparison.Ordinal);
        Assert.Contains("token=", secrets["HEARTH_DASHBOARD_LINK"], StringComparison.Ordinal);
        Assert.DoesNotContain(secrets["HEARTH_API_KEY"], app.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(secrets["HEARTH_ADMIN_KEY"], app.Output, StringComparison.Ordinal);
        Assert.Contains($"(in {secretsFile} as HEARTH_API_KEY)", app.Output, StringComparison.Ordinal);

        using var client = new HearthClient(new Uri(address + "/v2"), secrets["HEARTH_API_KEY"]);
        await client.Endpoint("py-echo").RunAsync(new { word = "signed" },
            new RunOptions { Webhook = receiver.Url });
        await Eventually.TrueAsync(() => !receiver.Received.IsEmpty, "the webhook of the finished job");
        var (id, timestamp, signature, body) = receiver.Received.Single();
        Assert.True(new WebhookSigner(webhookSecret).Verify(id, timestamp, signature, body, TimeProvider.System),
            "the delivery was not signed with the secret from --webhook-secret-file");

        app.Signal("TERM");
        Assert.Equal(0, await app.WaitForExitAsync());
    }

    [Fact]
    public async Task An_unreadable_webhook_secret_file_stops_the_start_with_the_fix()
    {
        var dir = Path.Combine(Path.GetTempPath(), "hearth-secrets-" + Guid.NewGuid().ToString("N"));
        using var app = AppProcess.Start(AppProcess.Built("src/Hearth.Cli", "hearth.dll"),
            "serve", "--endpoint", "echo", "--port", "0", "--data", Path.Combine(dir, "data"),
            "--webhook-secret-file", Path.Combine(dir, "missing"));
        Assert.Equal(2, await app.WaitForExitAsync());
        Assert.Contains("--webhook-secret-file", app.Output, StringComparison.Ordinal);
        Assert.Contains("cannot be read", app.Output, StringComparison.Ordinal);
    }
}

using System.Net;
using System.Net.Sockets;
using System.Text;
using Hearth.Server.Webhooks;
using Microsoft.Extensions.Options;

using Hearth.Testing;

namespace Hearth.Server.Tests.Webhooks;

/// <summary>Builds senders on a fake clock with a capturing logger; one per test.</summary>
internal sealed class WebhookSenderHarness
{
    /// <summary>Only a guard against a hung test; no test waits on the wall clock for anything to happen.</summary>
    public static readonly TimeSpan Safety = TimeSpan.FromSeconds(5);

    public static readonly TimeSpan RetryDelay = WebhookOptions.DefaultDelayAndTimeout;

    /// <summary>Differs from <see cref="RetryDelay"/> so a test can tell the retry wait's timer from the timeout's.</summary>
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);

    public static readonly byte[] Body = Encoding.UTF8.GetBytes("""{"id":"job-1","status":"COMPLETED","output":{"answer":42}}""");

    private readonly string secret = WebhookSigner.GenerateSecret();

    public SignallingTimeProvider Time { get; } = new();

    public CapturingLogger<WebhookSender> Logger { get; } = new();

    public WebhookSigner Signer => new(secret);

    /// <summary>Options as the tests use them: loopback allow-listed unless told otherwise.</summary>
    public static WebhookOptions LoopbackOptions(Action<WebhookOptions>? configure = null, bool allowLoopback = true)
    {
        var options = new WebhookOptions { RequestTimeout = RequestTimeout };
        if (allowLoopback)
        {
            options.AllowedCidrs.Add("127.0.0.0/8");
        }

        configure?.Invoke(options);
        return options;
    }

    /// <summary>A resolver that knows one name; every other name behaves like NXDOMAIN.</summary>
    public static Func<string, CancellationToken, Task<IPAddress[]>> Resolve(string host, IPAddress address) =>
        (name, _) => name == host
            ? Task.FromResult(new[] { address })
            : Task.FromException<IPAddress[]>(new SocketException((int)SocketError.HostNotFound));

    public WebhookSender Sender(Action<WebhookOptions>? configure = null, bool allowLoopback = true, Func<string, CancellationToken, Task<IPAddress[]>>? resolver = null)
    {
        var options = Options.Create(LoopbackOptions(configure, allowLoopback));
        var guard = new WebhookTargetGuard(options, resolver ?? Resolve("none.example.invalid", IPAddress.None));
        return new WebhookSender(options, guard, Signer, Time, Logger);
    }

    public void AssertLogsHoldNoSecretOrBody()
    {
        Assert.NotEmpty(Logger.Lines);
        var key = secret[WebhookSigner.SecretPrefix.Length..];
        Assert.DoesNotContain(Logger.Lines, line => line.Contains(key, StringComparison.Ordinal) || line.Contains("answer", StringComparison.Ordinal));
    }
}

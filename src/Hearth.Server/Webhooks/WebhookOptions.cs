namespace Hearth.Server.Webhooks;

/// <summary>
/// Settings for webhook delivery, bound from the <c>Webhooks</c> configuration section and
/// checked at start-up by <see cref="WebhookOptionsValidator"/>.
/// </summary>
public sealed class WebhookOptions
{
    /// <summary>The configuration section these options bind from.</summary>
    public const string SectionName = "Webhooks";

    /// <summary>The default for <see cref="MaxAttempts"/>: one POST plus two retries.</summary>
    public const int DefaultMaxAttempts = 3;

    /// <summary>The default for <see cref="RetryDelay"/> and <see cref="RequestTimeout"/>.</summary>
    public static readonly TimeSpan DefaultDelayAndTimeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The secret deliveries are signed with: <c>whsec_</c> followed by base64 of 24 to 64 random bytes
    /// (see <see cref="WebhookSigner.GenerateSecret"/>). Default: <see langword="null"/>, meaning the host
    /// generates one at start-up. Load it from an environment variable or a mounted file, never from the repo.
    /// </summary>
    public string? SigningSecret { get; set; }

    /// <summary>
    /// During a rotation of <see cref="SigningSecret"/>, the secret being replaced: each delivery is signed with both
    /// (two <c>v1,</c> entries, as Standard Webhooks allows), so receivers still holding it keep verifying. Remove it
    /// once every receiver has the new secret. Default: <see langword="null"/>.
    /// </summary>
    public string? PreviousSigningSecret { get; set; }

    /// <summary>
    /// CIDR ranges (for example <c>10.1.0.0/16</c> or <c>fd00::/8</c>) that webhooks may reach even though
    /// they are private, loopback or link-local. Default: empty, so every such target is refused.
    /// </summary>
    public IList<string> AllowedCidrs { get; } = [];

    /// <summary>
    /// Whether plain <c>http://</c> webhook URLs are allowed; <c>https://</c> always is.
    /// Default: <see langword="true"/>, because Runpod clients commonly register http webhooks.
    /// </summary>
    public bool AllowHttp { get; set; } = true;

    /// <summary>
    /// Total POST attempts per delivery, the first included. Default: <see cref="DefaultMaxAttempts"/> (3).
    /// </summary>
    public int MaxAttempts { get; set; } = DefaultMaxAttempts;

    /// <summary>The wait between failed attempts. Default: 10 seconds.</summary>
    public TimeSpan RetryDelay { get; set; } = DefaultDelayAndTimeout;

    /// <summary>How long one attempt may take, connect included. Default: 10 seconds.</summary>
    public TimeSpan RequestTimeout { get; set; } = DefaultDelayAndTimeout;

    /// <summary>Deliveries in flight at once on one control-plane replica. Default: 64.</summary>
    public int MaxConcurrentDeliveries { get; set; } = 64;

    /// <summary>
    /// Deliveries in flight at once to one target (scheme, host and port). Default: 4, so a receiver that never
    /// answers holds at most 4 connections, and every other target keeps the rest.
    /// </summary>
    public int MaxConcurrentPerTarget { get; set; } = 4;

    /// <summary>
    /// How long a target is left alone once at least half of its last deliveries (4 or more within a minute) failed;
    /// then one delivery probes it. Deliveries held back meanwhile are not counted as attempts. Default: 30 seconds.
    /// </summary>
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How often each replica looks for deliveries on its own (a sweep also wakes it). Default: 1 second.
    /// </summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);
}

using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Hearth.Server.Webhooks;

/// <summary>
/// Signs webhook bodies with the Standard Webhooks (Svix) scheme: base64 HMAC-SHA256 over
/// <c>{id}.{timestamp}.{body}</c>, keyed with the base64-decoded part of a <c>whsec_</c> secret.
/// </summary>
public sealed class WebhookSigner
{
    /// <summary>The prefix every signing secret starts with.</summary>
    public const string SecretPrefix = "whsec_";

    /// <summary>The signature version this signer writes and verifies.</summary>
    public const string SignatureVersion = "v1";

    /// <summary>How far a timestamp may be from now and still verify: 5 minutes, the Svix library default.</summary>
    public static readonly TimeSpan Tolerance = TimeSpan.FromMinutes(5);

    // The Standard Webhooks spec asks for secrets of 24 to 64 bytes; generated ones sit comfortably inside.
    private const int MinSecretBytes = 24;
    private const int MaxSecretBytes = 64;
    private const int GeneratedSecretBytes = 32;

    private readonly byte[] key;
    private readonly byte[]? previousKey;

    /// <summary>Creates a signer for a <c>whsec_</c> secret.</summary>
    /// <param name="secret">The secret, for example from <see cref="GenerateSecret"/>.</param>
    /// <param name="previous">
    /// During a rotation, the secret being replaced: every delivery then carries a signature with each, so receivers
    /// verify with either until they all have the new one. Verifying accepts either too.
    /// </param>
    /// <exception cref="ArgumentException">A secret is not <c>whsec_</c> plus base64 of 24 to 64 bytes.</exception>
    public WebhookSigner(string secret, string? previous = null)
    {
        if (!TryDecodeSecret(secret, out var decoded, out var error))
        {
            throw new ArgumentException($"The webhook signing secret is invalid: {error}.", nameof(secret));
        }

        key = decoded;
        if (previous is not null)
        {
            if (!TryDecodeSecret(previous, out var old, out var oldError))
            {
                throw new ArgumentException($"The previous webhook signing secret is invalid: {oldError}.",
                    nameof(previous));
            }

            previousKey = old;
        }
    }

    /// <summary>Generates a new random secret: <c>whsec_</c> plus base64 of 32 random bytes.</summary>
    /// <returns>The new secret.</returns>
    public static string GenerateSecret() =>
        SecretPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(GeneratedSecretBytes));

    /// <summary>Produces the signature headers for one delivery attempt.</summary>
    /// <param name="webhookId">The delivery's id, kept the same across retries.</param>
    /// <param name="timestamp">When the attempt is made; written as unix seconds.</param>
    /// <param name="body">The exact bytes that will be sent as the request body.</param>
    /// <returns>The values for <c>webhook-id</c>, <c>webhook-timestamp</c> and <c>webhook-signature</c>.</returns>
    public WebhookSignatureHeaders Sign(string webhookId, DateTimeOffset timestamp, ReadOnlySpan<byte> body)
    {
        ArgumentException.ThrowIfNullOrEmpty(webhookId);
        var unixSeconds = timestamp.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var signature = SignatureVersion + "," + Convert.ToBase64String(ComputeMac(key, webhookId, unixSeconds, body));
        if (previousKey is not null)
        {
            signature += " " + SignatureVersion + ","
                + Convert.ToBase64String(ComputeMac(previousKey, webhookId, unixSeconds, body));
        }

        return new WebhookSignatureHeaders(webhookId, unixSeconds, signature);
    }

    /// <summary>
    /// Checks received headers the way a receiver should: the timestamp must be within <see cref="Tolerance"/>
    /// of now, and one of the space-separated <c>v1,</c> entries must match, compared in constant time.
    /// </summary>
    /// <param name="webhookId">The received <c>webhook-id</c>.</param>
    /// <param name="timestamp">The received <c>webhook-timestamp</c>.</param>
    /// <param name="signature">The received <c>webhook-signature</c>; several entries allow secret rotation.</param>
    /// <param name="body">The raw received body.</param>
    /// <param name="timeProvider">The clock "now" is read from.</param>
    /// <returns><see langword="true"/> when the signature is genuine and fresh.</returns>
    public bool Verify(
        string webhookId, string timestamp, string signature, ReadOnlySpan<byte> body, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        if (string.IsNullOrEmpty(webhookId) || string.IsNullOrEmpty(signature)
            || !long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var unixSeconds))
        {
            return false;
        }

        var nowSeconds = timeProvider.GetUtcNow().ToUnixTimeSeconds();
        if (Math.Abs(nowSeconds - unixSeconds) > (long)Tolerance.TotalSeconds)
        {
            return false;
        }

        var expected = ComputeMac(key, webhookId, timestamp, body);
        var expectedPrevious = previousKey is null ? null : ComputeMac(previousKey, webhookId, timestamp, body);
        foreach (var entry in signature.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var comma = entry.IndexOf(',', StringComparison.Ordinal);
            if (comma < 0 || !entry.AsSpan(0, comma).SequenceEqual(SignatureVersion))
            {
                continue;
            }

            var candidate = new byte[expected.Length];
            if (Convert.TryFromBase64String(entry[(comma + 1)..], candidate, out var written)
                && written == expected.Length
                && (CryptographicOperations.FixedTimeEquals(candidate, expected)
                    || (expectedPrevious is not null
                        && CryptographicOperations.FixedTimeEquals(candidate, expectedPrevious))))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Decodes a <c>whsec_</c> secret; the error never contains the secret itself.</summary>
    internal static bool TryDecodeSecret(
        string? secret, [NotNullWhen(true)] out byte[]? key, [NotNullWhen(false)] out string? error)
    {
        key = null;
        if (secret is null || !secret.StartsWith(SecretPrefix, StringComparison.Ordinal))
        {
            error = $"it must start with '{SecretPrefix}'";
            return false;
        }

        var encoded = secret[SecretPrefix.Length..];
        var buffer = new byte[encoded.Length];
        if (!Convert.TryFromBase64String(encoded, buffer, out var length))
        {
            error = $"the part after '{SecretPrefix}' must be base64";
            return false;
        }

        if (length is < MinSecretBytes or > MaxSecretBytes)
        {
            error = $"it must decode to {MinSecretBytes} to {MaxSecretBytes} bytes, not {length}";
            return false;
        }

        key = buffer[..length];
        error = null;
        return true;
    }

    private static byte[] ComputeMac(byte[] key, string webhookId, string unixSeconds, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.UTF8.GetBytes($"{webhookId}.{unixSeconds}.");
        var content = new byte[prefix.Length + body.Length];
        prefix.CopyTo(content, 0);
        body.CopyTo(content.AsSpan(prefix.Length));
        return HMACSHA256.HashData(key, content);
    }
}

using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Hearth.Store.Jobs;
using Microsoft.AspNetCore.Http;

namespace Hearth.Server.Api;

/// <summary>
/// <c>Idempotency-Key</c> on <c>/run</c> and <c>/runsync</c>: the same key with the same body within 24 h returns the
/// first job (marked <c>Idempotent-Replayed: true</c>), the same key with another body is a 409. Keys are scoped to the
/// caller's credential, so two clients cannot collide or probe each other's keys.
/// </summary>
internal static class Idempotency
{
    public const string Header = "Idempotency-Key";
    public const string ReplayedHeader = "Idempotent-Replayed";

    /// <summary>The claim for this request, or null without the header; an error for a malformed key.</summary>
    public static (IdempotencyClaim? Claim, IResult? Error) Claim(HttpContext http, JsonElement body)
    {
        if (!http.Request.Headers.TryGetValue(Header, out var values))
        {
            return (null, null);
        }

        return For(http, values.Count == 1 ? values[0] : null, body);
    }

    /// <summary>The claim for <paramref name="key"/> (a <c>/runbatch</c> item's <c>idempotencyKey</c>) over
    /// <paramref name="body"/>; an error for a malformed key.</summary>
    public static (IdempotencyClaim? Claim, IResult? Error) For(HttpContext http, string? key, JsonElement body)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (string.IsNullOrEmpty(key) || key.Length > 255 || key.Any(c => c is < '!' or > '~'))
        {
            return (null, ApiResults.Error(400,
                "Idempotency-Key must be one value of 1 to 255 visible ASCII characters.",
                "Send a unique value per logical request, e.g. a UUID: 'Idempotency-Key: 5f0c…'; reuse it only when "
                + "retrying that request."));
        }

        // 'Bearer KEY' and the raw 'KEY' are the same caller.
        var credential = http.Request.Headers.Authorization.ToString();
        credential = credential.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            ? credential[7..].Trim() : credential.Trim();
        var scope = Hash(Encoding.UTF8.GetBytes(credential))[..16];
        return (new IdempotencyClaim(scope + "\n" + key, Hash(Encoding.UTF8.GetBytes(body.GetRawText()))), null);
    }

    /// <summary>Marks the response as a replay and returns the first job's id.</summary>
    public static string MarkReplayed(HttpContext http, string jobId)
    {
        http.Response.Headers[ReplayedHeader] = "true";
        return jobId;
    }

    public static bool IsReplay(HttpContext http) => http.Response.Headers.ContainsKey(ReplayedHeader);

    private static string Hash(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));
}

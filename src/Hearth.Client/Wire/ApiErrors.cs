using System.Net;
using System.Text.Json;

namespace Hearth.Client.Wire;

/// <summary>Reads Hearth's <c>{"error", "hint"}</c> body, falling back to the raw body for servers that send something
/// else.</summary>
internal static class ApiErrors
{
    /// <summary>Longest raw body quoted in an exception message.</summary>
    private const int MaxQuotedChars = 2_000;

    public static HearthApiException FromAnswer(HttpStatusCode status, string? reason, string body, string call)
    {
        ErrorWire? wire = null;
        try
        {
            wire = JsonSerializer.Deserialize(body, ClientJsonContext.Default.ErrorWire);
        }
        catch (JsonException)
        {
            // Not JSON (a proxy's HTML page, plain text): the raw body is the best explanation there is.
        }

        var error = Text(wire?.Error);
        var hint = Text(wire?.Hint);
        if (error is null)
        {
            error = body.Length > 0 ? Shorten(body) : reason ?? status.ToString();
        }

        hint ??= DefaultHint(status);
        return new HearthApiException(status, error, hint, call);
    }

    public static string Shorten(string text) =>
        text.Length <= MaxQuotedChars ? text : string.Concat(text.AsSpan(0, MaxQuotedChars), "…");

    private static string? Text(JsonElement? element) => element switch
    {
        null => null,
        { ValueKind: JsonValueKind.Null or JsonValueKind.Undefined } => null,
        { ValueKind: JsonValueKind.String } e => e.GetString(),
        { } e => e.GetRawText(),
    };

    /// <summary>Hints for answers whose body gave none (Runpod's, proxies').</summary>
    private static string? DefaultHint(HttpStatusCode status) => status switch
    {
        HttpStatusCode.Unauthorized => "Check the API key passed to HearthClient.",
        HttpStatusCode.Forbidden => "Use a client API key, not a worker token, and one allowed on this endpoint.",
        HttpStatusCode.NotFound => "Check the endpoint name, the job id and the base URL (it should end in /v2); "
            + "finished jobs are kept only for a while.",
        HttpStatusCode.TooManyRequests => "Slow down and retry later.",
        _ => null,
    };
}

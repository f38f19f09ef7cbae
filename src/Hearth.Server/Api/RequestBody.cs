using System.Text.Json;
using Hearth.Core.Jobs;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Hearth.Server.Api;

/// <summary>Reads a JSON body under a size limit and a depth limit, whatever Content-Type it claims.</summary>
internal static class RequestBody
{
    /// <summary>The parsed document, or an error result to return.</summary>
    public static async Task<(JsonDocument? Document, IResult? Error)> ReadJsonAsync(
        HttpContext context, long limit, string what, bool allowEmpty = false)
    {
        var request = context.Request;
        if (request.ContentLength > limit)
        {
            return (null, TooLarge(limit, what));
        }

        var sizeFeature = context.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (sizeFeature is { IsReadOnly: false })
        {
            sizeFeature.MaxRequestBodySize = limit;
        }

        byte[] body;
        try
        {
            using var buffer = new MemoryStream();
            await request.Body.CopyToAsync(buffer, context.RequestAborted).ConfigureAwait(false);
            if (buffer.Length > limit)
            {
                return (null, TooLarge(limit, what));
            }

            body = buffer.ToArray();
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, TooLarge(limit, what));
        }

        if (body.Length == 0 || body.AsSpan().Trim(" \t\r\n"u8).IsEmpty)
        {
            return allowEmpty
                ? (JsonDocument.Parse("{}"), null)
                : (null, ApiResults.Error(400, $"The {what} body is empty.",
                    "Send a JSON object, for example {\"input\": {\"prompt\": \"hello\"}}."));
        }

        try
        {
            return (JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = JobLimits.MaxJsonDepth }), null);
        }
        catch (JsonException e)
        {
            return (null, ApiResults.Error(400, $"The {what} body is not valid JSON: {e.Message}",
                $"Send a JSON object (nested at most {JobLimits.MaxJsonDepth} levels deep), for example {{\"input\": "
                + $"{{\"prompt\": \"hello\"}}}}."));
        }
    }

    private static IResult TooLarge(long limit, string what) => ApiResults.Error(413,
        $"The {what} body is larger than {Size(limit)}.",
        "Send a smaller body: put large inputs in object storage and pass a URL, or split the work into several jobs.");

    /// <summary>A size for people: whole MB when it is one, else KB.</summary>
    private static string Size(long bytes) => bytes >= 1024 * 1024 && bytes % (1024 * 1024) == 0
        ? $"{bytes / (1024 * 1024)} MB"
        : $"{Math.Max(1, bytes / 1024)} KB";
}

using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Hearth.Server.Api;

/// <summary>Writes responses. Errors are always <c>{"error": "...", "hint": "..."}</c>: what is wrong and what to
/// change.</summary>
internal static class ApiResults
{
    public static IResult Error(int status, string error, string hint) => new ApiError(status, error, hint);

    public static IResult Json(Action<Utf8JsonWriter> write) => new JsonTextResult(StatusCodes.Status200OK, write);

    /// <summary>A JSON answer with another status than 200 (201 for something created).</summary>
    public static IResult Json(int status, Action<Utf8JsonWriter> write) => new JsonTextResult(status, write);

    /// <summary>A JSON body written straight to the response; raw job outputs are copied in without
    /// re-parsing.</summary>
    private sealed class JsonTextResult(int status, Action<Utf8JsonWriter> write) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = status;
            httpContext.Response.ContentType = "application/json";
            var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
            using (var writer = new Utf8JsonWriter(buffer,
                new JsonWriterOptions { SkipValidation = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            {
                write(writer);
            }

            await httpContext.Response.Body.WriteAsync(buffer.WrittenMemory, httpContext.RequestAborted)
                .ConfigureAwait(false);
        }
    }

    public static IResult Raw(string json) => Results.Text(json, "application/json", Encoding.UTF8);
}

/// <summary>An error answer, <c>{"error": "...", "hint": "..."}</c>, that a route can also read (a batch reports each
/// item's error inside its answer).</summary>
/// <param name="Status">HTTP status.</param>
/// <param name="Message">What is wrong.</param>
/// <param name="Hint">What to change.</param>
internal sealed record ApiError(int Status, string Message, string Hint) : IResult
{
    public Task ExecuteAsync(HttpContext httpContext) => ApiResults.Json(Status, Write).ExecuteAsync(httpContext);

    /// <summary>Writes the error object.</summary>
    public void Write(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteString("error", Message);
        writer.WriteString("hint", Hint);
        writer.WriteEndObject();
    }
}

using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Hearth.Client.Wire;

/// <summary>Sends one authenticated call and reads its 200 answer, or turns any other answer into a
/// <see cref="HearthApiException"/>.</summary>
internal sealed class ApiTransport
{
    private readonly HttpClient _http;
    private readonly Uri _base;
    private readonly AuthenticationHeaderValue _auth;

    public ApiTransport(HttpClient http, Uri baseUrl, string apiKey, JsonSerializerOptions options, TimeProvider time)
    {
        _http = http;
        // A base without a trailing slash would make relative URIs replace its last segment ("v2").
        _base = baseUrl.AbsoluteUri.EndsWith('/') ? baseUrl : new Uri(baseUrl.AbsoluteUri + "/");
        _auth = new AuthenticationHeaderValue("Bearer", apiKey);
        Options = options;
        Time = time;
    }

    /// <summary>The caller's options for job inputs, outputs and stream chunks.</summary>
    public JsonSerializerOptions Options { get; }

    /// <summary>Clock for client-side timeouts and poll pauses.</summary>
    public TimeProvider Time { get; }

    public Task<T> GetAsync<T>(string path, JsonTypeInfo<T> answer, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, path, null, answer, cancellationToken);

    public Task<T> PostAsync<T>(
        string path, HttpContent? body, JsonTypeInfo<T> answer, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, path, body, answer, cancellationToken);

    public static HttpContent Json<T>(T value, JsonTypeInfo<T> typeInfo)
    {
        // Bytes rather than a streamed JsonContent, so the request carries a Content-Length.
        var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(value, typeInfo));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        return content;
    }

    private async Task<T> SendAsync<T>(
        HttpMethod method, string path, HttpContent? body, JsonTypeInfo<T> answer, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, new Uri(_base, path)) { Content = body };
        request.Headers.Authorization = _auth;
        var call = $"{method} {request.RequestUri!.AbsolutePath}";
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken)
            .ConfigureAwait(false);
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw ApiErrors.FromAnswer(response.StatusCode, response.ReasonPhrase, text, call);
        }

        T? value;
        try
        {
            value = JsonSerializer.Deserialize(text, answer);
        }
        catch (JsonException e)
        {
            throw new HearthApiException(response.StatusCode,
                $"The answer is not the JSON this client expects ({e.Message}): {ApiErrors.Shorten(text)}",
                "Check that the base URL points at a Hearth or Runpod /v2 API.", call);
        }

        return value ?? throw new HearthApiException(response.StatusCode, "The answer had an empty or null JSON body.",
            "Check that the base URL points at a Hearth or Runpod /v2 API.", call);
    }
}

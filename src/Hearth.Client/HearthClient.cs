using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Hearth.Client.Wire;

namespace Hearth.Client;

/// <summary>
/// A typed client for the Runpod-compatible client API of Hearth or Runpod itself:
/// <c>new HearthClient(new Uri("http://127.0.0.1:8080/v2"), key)</c> or
/// <c>new HearthClient(new Uri("https://api.runpod.ai/v2"), key)</c>. Thread-safe; keep one per server.
/// </summary>
/// <remarks>
/// Job inputs, outputs and stream chunks are serialized with the <see cref="JsonSerializerOptions"/> given to the
/// constructor (default: <see cref="JsonSerializerDefaults.Web"/> with reflection). Native AOT and trimmed apps should
/// pass options whose <see cref="JsonSerializerOptions.TypeInfoResolver"/> is their own source-generated
/// <c>JsonSerializerContext</c> covering those types. The client's own wire records always use a source-generated
/// context.
/// </remarks>
public sealed class HearthClient : IDisposable
{
    /// <summary>Timeout of the HttpClient this class creates: the longest server-side wait (300 s) plus a margin for
    /// the answer.</summary>
    public static readonly TimeSpan DefaultHttpTimeout = TimeSpan.FromSeconds(330);

    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly ApiTransport _transport;

    /// <summary>Creates a client for one server.</summary>
    /// <param name="baseUrl">The API base ending in <c>/v2</c>, for example <c>http://127.0.0.1:8080/v2</c>.</param>
    /// <param name="apiKey">A client API key, sent as <c>Authorization: Bearer</c>.</param>
    /// <param name="httpClient">An HttpClient to use (for example from IHttpClientFactory); the caller keeps ownership
    /// and disposes it. Default: a new one with <see cref="DefaultHttpTimeout"/>, disposed with this client.</param>
    /// <param name="jsonOptions">Options for job inputs, outputs and stream chunks. Default: web defaults (camelCase,
    /// case-insensitive reads) with reflection.</param>
    /// <param name="timeProvider">Clock for client-side timeouts and pauses between stream polls. Default:
    /// <see cref="TimeProvider.System"/>.</param>
    public HearthClient(Uri baseUrl, string apiKey, HttpClient? httpClient = null,
        JsonSerializerOptions? jsonOptions = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(baseUrl);
        ArgumentException.ThrowIfNullOrWhiteSpace(apiKey);
        if (!baseUrl.IsAbsoluteUri)
        {
            throw new ArgumentException(
                $"The base URL '{baseUrl}' is relative; pass an absolute one such as http://127.0.0.1:8080/v2.",
                nameof(baseUrl));
        }

        _ownsHttp = httpClient is null;
        _http = httpClient ?? new HttpClient { Timeout = DefaultHttpTimeout };
        _transport = new ApiTransport(_http, baseUrl, apiKey, WithResolver(jsonOptions),
            timeProvider ?? TimeProvider.System);
    }

    /// <summary>The calls for one endpoint (its Runpod endpoint id, or its Hearth name).</summary>
    /// <param name="name">The endpoint's name or id.</param>
    /// <returns>A lightweight object; create as many as you like.</returns>
    public EndpointClient Endpoint(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return new EndpointClient(_transport, name);
    }

    /// <summary>Options without a resolver (the usual <c>new JsonSerializerOptions(...)</c>) get the reflection one, on
    /// a copy so the caller's stay untouched.</summary>
    private static JsonSerializerOptions WithResolver(JsonSerializerOptions? options)
    {
        if (options is { TypeInfoResolver: not null })
        {
            return options;
        }

        return new JsonSerializerOptions(options ?? new JsonSerializerOptions(JsonSerializerDefaults.Web))
        {
            TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
        };
    }

    /// <summary>Disposes the HttpClient if this client created it.</summary>
    public void Dispose()
    {
        if (_ownsHttp)
        {
            _http.Dispose();
        }
    }
}

using System.Net;
using System.Net.Http.Headers;

namespace Hearth.Worker;

/// <summary>
/// The control plane answered a request with a status a later retry may fix: 401 or 403 (wrong or revoked
/// credentials), 404 (no such endpoint or route), 408, 429, or a 5xx (restarting, or its store unavailable), with the
/// <c>Retry-After</c> it sent, if any. An <see cref="HttpRequestException"/>, so it retries like a transport error.
/// </summary>
public sealed class ControlPlaneRefusal : HttpRequestException
{
    /// <summary>Creates the refusal of one request.</summary>
    public ControlPlaneRefusal(string what, HttpStatusCode status, TimeSpan? retryAfter)
        : base(Describe(what, status), null, status) => RetryAfter = retryAfter;

    /// <summary>When the control plane asked to be retried, if it said.</summary>
    public TimeSpan? RetryAfter { get; }

    /// <summary>Whether the credentials were refused (401, 403): a fix for a person, not a blip.</summary>
    public bool Credentials => StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden;

    /// <summary>Whether a request answered <paramref name="status"/> should be retried later rather than
    /// read.</summary>
    public static bool Retryable(HttpStatusCode status) =>
        status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden or HttpStatusCode.NotFound
            or HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || (int)status >= 500;

    /// <summary>Throws the refusal when <paramref name="response"/> is <see cref="Retryable"/>.</summary>
    public static void ThrowIfRetryable(HttpResponseMessage response, string what)
    {
        ArgumentNullException.ThrowIfNull(response);
        if (Retryable(response.StatusCode))
        {
            throw new ControlPlaneRefusal(what, response.StatusCode, RetryAfterOf(response.Headers.RetryAfter));
        }
    }

    /// <summary>
    /// Whether a posted result answered <paramref name="status"/> should be posted again: the control plane was
    /// restarting or could not reach its store (5xx), was busy (429, 408). A 4xx otherwise is its final word (404: the
    /// job is gone; 409: another worker holds it; 401/403: this worker may no longer report), and retrying would only
    /// hold the worker's slot.
    /// </summary>
    public static bool ResultRetryable(HttpStatusCode status) =>
        status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || (int)status >= 500;

    // Hearth and Runpod send seconds; a date would need the clock of the control plane's host.
    private static TimeSpan? RetryAfterOf(RetryConditionHeaderValue? header) => header?.Delta;

    private static string Describe(string what, HttpStatusCode status) => status switch
    {
        HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden =>
            $"{what}: the control plane refused this worker's credentials (HTTP {(int)status}). Set RUNPOD_AI_API_KEY "
            + "to a worker token the control plane accepts for this endpoint ('hearth serve' prints one, or set "
            + "Hearth:WorkerTokens).",
        HttpStatusCode.NotFound =>
            $"{what}: the control plane does not know this route (HTTP 404). Check RUNPOD_WEBHOOK_GET_JOB and the "
            + "endpoint name in it.",
        _ => $"{what}: the control plane answered HTTP {(int)status}",
    };
}

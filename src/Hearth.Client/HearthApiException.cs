using System.Net;

namespace Hearth.Client;

/// <summary>The server answered something other than 200; <see cref="Error"/> and <see cref="Hint"/> carry its
/// explanation.</summary>
public sealed class HearthApiException : Exception
{
    /// <summary>Creates the exception for one failed call.</summary>
    /// <param name="statusCode">The HTTP status the server answered.</param>
    /// <param name="error">What is wrong: the body's <c>error</c>, or the raw body when it had none.</param>
    /// <param name="hint">What to change: the body's <c>hint</c>, if any.</param>
    /// <param name="request">The call, for example <c>POST echo/run</c>.</param>
    public HearthApiException(HttpStatusCode statusCode, string error, string? hint, string request)
        : base(Describe(statusCode, error, hint, request))
    {
        StatusCode = statusCode;
        Error = error;
        Hint = hint;
    }

    /// <summary>The HTTP status the server answered.</summary>
    public HttpStatusCode StatusCode { get; }

    /// <summary>What is wrong, as the server put it (the raw body, or the status's reason when the body was
    /// empty).</summary>
    public string Error { get; }

    /// <summary>What to change, as the server put it; null when it gave no hint (Runpod rarely does).</summary>
    public string? Hint { get; }

    private static string Describe(HttpStatusCode statusCode, string error, string? hint, string request) =>
        hint is null
            ? $"{request} answered {(int)statusCode} {statusCode}: {error}"
            : $"{request} answered {(int)statusCode} {statusCode}: {error} {hint}";
}

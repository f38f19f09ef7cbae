using Hearth.Server.Api;
using Microsoft.AspNetCore.Http;
using Hearth.Store;

namespace Hearth.Server.Auth;

/// <summary>
/// Store failures as the client sees them: a full store (Redis <c>noeviction</c> refusing writes) is 507, an
/// unreachable
/// or slow store is 503 — never a 2xx, and the hint says what to do. The request changed nothing it reports.
/// </summary>
internal static class StoreFailure
{
    /// <summary>When a client may retry after a 503.</summary>
    private static readonly TimeSpan Stalled = TimeSpan.FromSeconds(5);

    /// <summary>An endpoint filter that answers a store failure with <see cref="Answer"/>; any other error goes
    /// on.</summary>
    public static async ValueTask<object?> FilterAsync(
        EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(next);
        try
        {
            return await next(context).ConfigureAwait(false);
        }
        catch (Exception e) when (Answer(e) is { } answer)
        {
            return answer;
        }
    }

    public static IResult? Answer(Exception e) => (e, StoreFaults.Of(e)) switch
    {
        (StoreRefusedException { Full: true } r, _) =>
            ApiResults.Error(StatusCodes.Status507InsufficientStorage, r.Message, r.Hint),
        (StoreRefusedException r, _) => new RetryAfterResult(
            ApiResults.Error(StatusCodes.Status503ServiceUnavailable, r.Message, r.Hint), r.RetryAfter ?? Stalled),
        (_, StoreFault.Full) => ApiResults.Error(StatusCodes.Status507InsufficientStorage,
            "The store is full (maxmemory reached); the request was not accepted.",
            "Drain or purge queues, shorten result retention, or raise the store's maxmemory; then retry."),
        (_, StoreFault.Unavailable) => new RetryAfterResult(
            ApiResults.Error(StatusCodes.Status503ServiceUnavailable,
                "The store is unreachable or too slow right now; the request was not accepted.",
                "Retry with backoff; check that the store (redis-server or the embedded Garnet's disk) is up."),
                Stalled),
        (_, StoreFault.NotDurable) => new RetryAfterResult(
            ApiResults.Error(StatusCodes.Status503ServiceUnavailable,
                "The store did not confirm the write on disk in time; it was not acknowledged.",
                "Retry with an Idempotency-Key; if it persists, check the store's disk (fsync latency)."), Stalled),
        _ => null,
    };
}

/// <summary>An answer with a <c>Retry-After</c> header (whole seconds).</summary>
internal sealed class RetryAfterResult(IResult inner, TimeSpan after) : IResult
{
    public Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        httpContext.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(after.TotalSeconds))
            .ToString(System.Globalization.CultureInfo.InvariantCulture);
        return inner.ExecuteAsync(httpContext);
    }
}

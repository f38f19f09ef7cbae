using System.Globalization;
using System.Threading.RateLimiting;
using Hearth.Server.Api;
using Hearth.Server.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Hearth.Server.Auth;

/// <summary>
/// The client API's rate limits (<see cref="RateLimitOptions"/>) on ASP.NET Core's rate limiter: one partition per
/// key, endpoint and kind of route, each a fixed window of requests chained with a cap on requests in flight. Requests
/// without a known key are not limited here (they are refused, and throttled by <see cref="AuthFailures"/>). The
/// limiter keeps its own clock (System.Threading.RateLimiting takes no <see cref="TimeProvider"/>).
/// </summary>
public static class ClientRateLimits
{
    /// <summary>Registers the limiter; every request passes through it once <c>UseHearth</c> is called.</summary>
    public static IServiceCollection AddClientRateLimits(this IServiceCollection services)
    {
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<HearthServerOptions>>((o, hearth) =>
        {
            var limits = hearth.Value.RateLimits;
            if (!limits.Enabled)
            {
                return;
            }

            o.GlobalLimiter = PartitionedRateLimiter.CreateChained(
                PartitionedRateLimiter.Create<HttpContext, string>(http => Partition(http, limits, window: true)),
                PartitionedRateLimiter.Create<HttpContext, string>(http => Partition(http, limits, window: false)));
            o.OnRejected = (context, cancellationToken) =>
            {
                var http = context.HttpContext;
                var wait = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after)
                    ? Math.Max(1, (int)Math.Ceiling(after.TotalSeconds)) : 1;
                http.Response.Headers.RetryAfter = wait.ToString(CultureInfo.InvariantCulture);
                var limit = http.GetEndpoint()?.Metadata.GetMetadata<RequiresOperation>()?.RateClass ?? "this route";
                return new ValueTask(ApiResults.Error(StatusCodes.Status429TooManyRequests,
                    $"Rate limit of {limit} requests for this key on this endpoint reached; the request was not "
                    + "carried out.",
                    $"Retry after {wait} s (Retry-After), spread requests out, or ask the operator for a higher "
                    + "limit (RateLimits in the server options; hearth serve --rate-limits).").ExecuteAsync(http));
            };
        });
        return services;
    }

    private static RateLimitPartition<string> Partition(HttpContext http, RateLimitOptions limits, bool window)
    {
        var route = http.GetEndpoint()?.Metadata.GetMetadata<RequiresOperation>();
        if (route is null || !limits.Routes.TryGetValue(route.RateClass, out var limit)
            || (window ? limit.Requests : limit.Concurrent) <= 0
            || Access.Authenticate(http) is not { } principal)
        {
            return RateLimitPartition.GetNoLimiter(string.Empty);
        }

        var key = $"{principal.Fingerprint}|{http.GetRouteValue("endpoint")}|{route.RateClass}";
        return window
            ? RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = limit.Requests,
                Window = limits.Window,
                QueueLimit = 0,
            })
            : RateLimitPartition.GetConcurrencyLimiter(key, _ => new ConcurrencyLimiterOptions
            {
                PermitLimit = limit.Concurrent,
                QueueLimit = 0,
            });
    }
}

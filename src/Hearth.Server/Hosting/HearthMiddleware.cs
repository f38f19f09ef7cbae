using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Hearth.Server.Hosting;

/// <summary>The middleware in front of Hearth's routes: <c>app.UseHearth()</c>, before
/// <c>app.MapHearth()</c>.</summary>
public static class HearthMiddleware
{
    /// <summary>Forwarded headers from trusted proxies (<see cref="ForwardedHeadersSetup"/>), then the client API's
    /// rate limits (<see cref="Auth.ClientRateLimits"/>) when they are on.</summary>
    /// <remarks>With no limit configured, ASP.NET Core's rate-limiting middleware still runs a timer that is never
    /// stopped, and through it keeps the whole stopped application alive — with an embedded store, its memory too
    /// (~245 MiB per host in <c>bench/Hearth.Bench.Load</c>). So the middleware is only added when limits are
    /// on.</remarks>
    public static IApplicationBuilder UseHearth(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseHearthForwardedHeaders();
        return app.ApplicationServices.GetRequiredService<IOptions<HearthServerOptions>>().Value.RateLimits.Enabled
            ? app.UseRateLimiter()
            : app;
    }
}

using Microsoft.AspNetCore.Builder;

namespace Hearth.Server.Hosting;

/// <summary>The middleware in front of Hearth's routes: <c>app.UseHearth()</c>, before
/// <c>app.MapHearth()</c>.</summary>
public static class HearthMiddleware
{
    /// <summary>Forwarded headers from trusted proxies (<see cref="ForwardedHeadersSetup"/>), then the client API's
    /// rate limits (<see cref="Auth.ClientRateLimits"/>).</summary>
    public static IApplicationBuilder UseHearth(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        return app.UseHearthForwardedHeaders().UseRateLimiter();
    }
}

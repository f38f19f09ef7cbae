using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Hearth.Server.Hosting;

/// <summary>
/// Believes <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c> from loopback and <see
/// cref="HearthServerOptions.TrustedProxies"/> only (ASP.NET Core's forwarded-headers middleware), so behind the TLS
/// proxy of docs/deploy.md a request is seen as https and a client as its own address, and nobody else can claim
/// either.
/// </summary>
public static class ForwardedHeadersSetup
{
    /// <summary>Adds the middleware; call it before <c>MapHearth</c>.</summary>
    public static IApplicationBuilder UseHearthForwardedHeaders(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var options = new ForwardedHeadersOptions
        {
            ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto,
        };
        foreach (var proxy in app.ApplicationServices.GetRequiredService<IOptions<HearthServerOptions>>().Value
            .TrustedProxies)
        {
            options.KnownProxies.Add(IPAddress.Parse(proxy));
        }

        return app.UseForwardedHeaders(options);
    }
}

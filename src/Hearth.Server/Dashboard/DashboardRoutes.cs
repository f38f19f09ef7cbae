using System.Text.Json;
using Hearth.Server.Admin;
using Hearth.Server.Api;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Hearth.Server.Dashboard;

/// <summary>
/// The dashboard: a static page at <c>/</c> (HTML, CSS and JS embedded in this assembly, no build step) that reads the
/// admin API, and the sign-in route that turns a one-time token or the admin key into a session cookie.
/// </summary>
internal static class DashboardRoutes
{
    /// <summary>Largest sign-in body accepted (default 4 KB): a token is under 100 bytes.</summary>
    private const long MaxSignInBodyBytes = 4096;

    // The page loads nothing from elsewhere, is never framed, and never leaks its URL (which may hold a token).
    private const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
        + "frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

    private static readonly Dictionary<string, (string Resource, string ContentType)> Assets =
        new(StringComparer.Ordinal)
        {
            ["/"] = ("index.html", "text/html; charset=utf-8"),
            ["/dashboard/dashboard.css"] = ("dashboard.css", "text/css; charset=utf-8"),
            ["/dashboard/dashboard.js"] = ("dashboard.js", "text/javascript; charset=utf-8"),
            ["/dashboard/waterfall.js"] = ("waterfall.js", "text/javascript; charset=utf-8"),
            ["/dashboard/views.js"] = ("views.js", "text/javascript; charset=utf-8"),
            ["/dashboard/ui.js"] = ("ui.js", "text/javascript; charset=utf-8"),
            ["/favicon.ico"] = ("favicon.svg", "image/svg+xml"),
        };

    public static void Map(IEndpointRouteBuilder app)
    {
        foreach (var (path, asset) in Assets)
        {
            var bytes = Read(asset.Resource);
            app.MapGet(path, (HttpContext http) =>
            {
                var headers = http.Response.Headers;
                headers.ContentSecurityPolicy = ContentSecurityPolicy;
                headers.XContentTypeOptions = "nosniff";
                headers["Referrer-Policy"] = "no-referrer";
                headers.CacheControl = "no-store";
                return Results.Bytes(bytes, asset.ContentType);
            });
        }

        app.MapPost("/api/dashboard/session", SignInAsync);
        app.MapDelete("/api/dashboard/session", SignOutAsync);
    }

    /// <summary>Body <c>{"token": "…"}</c> (a one-time login token) or the admin key in <c>Authorization</c> →
    /// session cookie.</summary>
    private static async Task<IResult> SignInAsync(HttpContext http, DashboardSessions sessions)
    {
        if (!string.IsNullOrEmpty(http.Request.Headers.Authorization))
        {
            if (await AdminAccess.DeniedAsync(http) is { } denied)
            {
                return denied;
            }
        }
        else
        {
            var (document, error) = await RequestBody.ReadJsonAsync(http, MaxSignInBodyBytes, "sign-in body")
                .ConfigureAwait(false);
            if (error is not null)
            {
                return error;
            }

            using (document)
            {
                var token = document!.RootElement.ValueKind == JsonValueKind.Object
                    && document.RootElement.TryGetProperty("token", out var t) && t.ValueKind == JsonValueKind.String
                    ? t.GetString()
                    : null;
                if (!await sessions.RedeemAsync(token, http.RequestAborted))
                {
                    return ApiResults.Error(401, "This dashboard link has been used or has expired.",
                        "Sign in with the admin key, or restart 'hearth dev' for a new link (each link works once).");
                }
            }
        }

        await http.RequestServices.GetRequiredService<Audit.Auditor>().RecordAsync("dashboard.signin",
            AdminAccess.Actor(http), http, null, "a dashboard session started", CancellationToken.None)
            .ConfigureAwait(false);
        var session = await sessions.StartSessionAsync(http.RequestAborted).ConfigureAwait(false);
        http.Response.Cookies.Append(DashboardSessions.CookieName, session, new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Strict,
            Secure = http.Request.IsHttps,
            Path = "/",
            MaxAge = DashboardSessions.SessionLifetime,
        });
        return ApiResults.Json(w =>
        {
            w.WriteStartObject();
            w.WriteBoolean("signedIn", true);
            w.WriteEndObject();
        });
    }

    private static async Task<IResult> SignOutAsync(HttpContext http, DashboardSessions sessions)
    {
        await sessions.EndAsync(http.Request.Cookies[DashboardSessions.CookieName], http.RequestAborted)
            .ConfigureAwait(false);
        http.Response.Cookies.Delete(DashboardSessions.CookieName,
            new CookieOptions { Path = "/", SameSite = SameSiteMode.Strict, HttpOnly = true });
        return Results.NoContent();
    }

    private static byte[] Read(string name)
    {
        var assembly = typeof(DashboardRoutes).Assembly;
        var resource = $"Hearth.Server.Dashboard.{name}";
        using var stream = assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException(
                $"Embedded dashboard file '{resource}' is missing from {assembly.GetName().Name}.");
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.ToArray();
    }
}

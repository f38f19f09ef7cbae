using Hearth.Server.Api;
using Hearth.Server.Auth;
using Hearth.Server.Dashboard;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Hearth.Server.Admin;

/// <summary>Who may use the admin API: the admin key (<c>Authorization: Bearer</c>) or a dashboard session
/// cookie.</summary>
internal static class AdminAccess
{
    /// <summary>Null when the request may go on; otherwise the 401/403 (or 429) to answer.</summary>
    public static async ValueTask<IResult?> DeniedAsync(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        var services = http.RequestServices;
        if (string.IsNullOrEmpty(http.Request.Headers.Authorization) &&
            services.GetService<DashboardSessions>() is { } sessions &&
            await sessions.IsActiveAsync(http.Request.Cookies[DashboardSessions.CookieName], http.RequestAborted)
                .ConfigureAwait(false))
        {
            return null;
        }

        if (Access.Throttled(http) is { } throttled)
        {
            return throttled;
        }

        return Access.Authenticate(http) switch
        {
            null => Access.Refused(http, ApiResults.Error(401, "Missing, unknown or revoked admin key.",
                "Send 'Authorization: Bearer <admin key>'; hearth dev prints a dashboard link with it.")),
            { Kind: not PrincipalKind.Admin } =>
                ApiResults.Error(403, "The admin API needs the admin key; client keys and worker tokens cannot use it.",
                    "Use the admin key (HEARTH_ADMIN_KEY or --admin-key)."),
            _ => null,
        };
    }

    /// <summary>How the audit log names an admin caller: the admin key, or a dashboard sign-in.</summary>
    public static string Actor(HttpContext http) =>
        string.IsNullOrEmpty(http?.Request.Headers.Authorization) ? "dashboard" : "admin";
}

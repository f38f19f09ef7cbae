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
    /// <summary>Null when the request may go on; otherwise the 401/403 to answer.</summary>
    public static IResult? Denied(HttpContext http)
    {
        var services = http.RequestServices;
        if (string.IsNullOrEmpty(http.Request.Headers.Authorization) &&
            services.GetService<DashboardSessions>()
                ?.IsActive(http.Request.Cookies[DashboardSessions.CookieName]) == true)
        {
            return null;
        }

        var principal = services.GetRequiredService<KeyRing>().Authenticate(http.Request.Headers.Authorization);
        return principal switch
        {
            null => ApiResults.Error(401, "Missing or unknown admin key.",
                "Send 'Authorization: Bearer <admin key>'; hearth dev prints a dashboard link with it."),
            { Kind: not PrincipalKind.Admin } =>
                ApiResults.Error(403, "The admin API needs the admin key; client keys and worker tokens cannot use it.",
                    "Use the admin key (HEARTH_ADMIN_KEY or --admin-key)."),
            _ => null,
        };
    }
}

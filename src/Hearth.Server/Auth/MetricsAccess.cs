using Hearth.Server.Api;
using Microsoft.AspNetCore.Http;

namespace Hearth.Server.Auth;

/// <summary>
/// Who may read <c>/metrics</c>: the admin key or the metrics key (<see
/// cref="Hosting.HearthServerOptions.MetricsKey"/>). Job counts, queue depths and endpoint names are an operator's
/// business, not the internet's.
/// </summary>
internal static class MetricsAccess
{
    /// <summary>Middleware in front of the Prometheus exporter: answers 401 or 403, or goes on.</summary>
    public static Task RequireAsync(HttpContext http, RequestDelegate next)
    {
        var denied = Access.Throttled(http) ?? Access.Authenticate(http) switch
        {
            null => Access.Refused(http, ApiResults.Error(401, "Missing or unknown key for /metrics.",
                "Send 'Authorization: Bearer <key>' with the metrics key (HEARTH_METRICS_KEY; in Prometheus: "
                + "authorization.credentials) or the admin key.")),
            { Kind: not (PrincipalKind.Admin or PrincipalKind.Metrics) } => ApiResults.Error(403,
                "/metrics needs the metrics key or the admin key; client keys, worker and node tokens cannot read it.",
                "Use HEARTH_METRICS_KEY (a key for Prometheus only) or the admin key."),
            _ => null,
        };
        return denied is null ? next(http) : denied.ExecuteAsync(http);
    }
}

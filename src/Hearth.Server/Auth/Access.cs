using Hearth.Server.Api;
using Hearth.Server.Jobs;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Hearth.Server.Auth;

/// <summary>The check in front of every API route: who is calling, may they use this endpoint, does it exist.</summary>
internal static class Access
{
    private static readonly object Authenticated = new();

    /// <summary>Puts <see cref="Check"/> in front of every route of the group, so no handler can forget it.</summary>
    public static RouteGroupBuilder RequireKind(this RouteGroupBuilder group, PrincipalKind kind)
    {
        group.AddEndpointFilter(async (context, next) =>
        {
            if (Check(context.HttpContext, (string)context.HttpContext.GetRouteValue("endpoint")!, kind) is { } denied)
            {
                return denied;
            }

            try
            {
                return await next(context).ConfigureAwait(false);
            }
            catch (Exception e) when (StoreFailure.Answer(e) is { } answer)
            {
                // A store that cannot take the write must never look like success: nothing was acknowledged.
                return answer;
            }
        });
        return group;
    }

    /// <summary>Null when the caller may proceed; otherwise the error to return (401, 403 or 404).</summary>
    public static IResult? Check(HttpContext context, string endpoint, PrincipalKind kind)
    {
        if (Throttled(context) is { } throttled)
        {
            return throttled;
        }

        if (Authenticate(context) is not { } principal)
        {
            return Refused(context, ApiResults.Error(401, "Missing, unknown, revoked or expired API key.",
                "Send 'Authorization: Bearer <key>' (or the raw key) with a key this server issued; 'hearth serve' "
                + "prints one at start when none is set, 'hearth keys create' makes more."));
        }

        var allowedKind = principal.Kind == kind
            || (kind == PrincipalKind.Client && principal.Kind == PrincipalKind.Admin);
        if (!allowedKind)
        {
            if (principal.Kind == PrincipalKind.Node)
            {
                return ApiResults.Error(403, "A node token only serves the node routes (/api/nodes/...).",
                    kind == PrincipalKind.Worker
                        ? "Workers authenticate with their worker token (RUNPOD_AI_API_KEY); hearth node passes it "
                            + "to the workers it starts."
                        : "Use a client API key for /run, /status and the other client routes.");
            }

            return kind == PrincipalKind.Worker
                ? ApiResults.Error(403, "This route is for workers; a client key cannot use it.",
                    "Workers authenticate with their worker token (RUNPOD_AI_API_KEY).")
                : ApiResults.Error(403, "This route is for clients; a worker token cannot use it.",
                    "Use a client API key for /run, /status and the other client routes.");
        }

        var jobs = context.RequestServices.GetRequiredService<JobService>();
        if (jobs.Endpoint(endpoint) is null || !principal.Allows(endpoint))
        {
            if (principal.Kind == PrincipalKind.Worker && jobs.Endpoint(endpoint) is not null)
            {
                return ApiResults.Error(403, $"This worker token is not for endpoint '{endpoint}'.",
                    "Start the worker with the token issued for its endpoint.");
            }

            return ApiResults.Error(404, $"Endpoint '{endpoint}' does not exist.",
                "Check the endpoint name in the URL; endpoints "
                + $"your key can use: {string.Join(", ", jobs.EndpointNames.Where(principal.Allows).Order())}.");
        }

        context.Items[typeof(Principal)] = principal;

        // A client route names the operation it performs; one that names none is refused to limited keys.
        var needed = context.GetEndpoint()?.Metadata.GetMetadata<RequiresOperation>()?.Operation
            ?? ClientOperations.All;
        if (kind == PrincipalKind.Client && !principal.May(needed))
        {
            return ApiResults.Error(403,
                $"This key may not {string.Join("/", ClientOperationNames.Of(needed))} on endpoint '{endpoint}'.",
                $"It may: {string.Join(", ", ClientOperationNames.Of(principal.Operations))}. Use a key created with "
                + $"'hearth keys create --op {ClientOperationNames.Of(needed)[0]}' for this.");
        }

        return null;
    }

    /// <summary>The principal <see cref="Check"/> let through (for the audit log's actor).</summary>
    public static Principal? Caller(HttpContext context) => context.Items[typeof(Principal)] as Principal;

    /// <summary>The caller's principal, or null (no key, or one unknown, revoked or expired).</summary>
    public static Principal? Authenticate(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);

        // Once per request: the rate limiter and the route's own check both ask.
        if (context.Items.TryGetValue(Authenticated, out var known))
        {
            return known as Principal;
        }

        var principal = context.RequestServices.GetRequiredService<KeyRing>()
            .Authenticate(context.Request.Headers.Authorization);
        context.Items[Authenticated] = principal;
        return principal;
    }

    /// <summary>The 429 to answer first when the caller's address sent too many wrong keys; null otherwise.</summary>
    public static IResult? Throttled(HttpContext context) =>
        context.RequestServices.GetRequiredService<AuthFailures>().Throttled(context);

    /// <summary>Counts a refused credential (for throttling and the audit log) and returns the refusal.</summary>
    public static IResult Refused(HttpContext context, IResult refusal) =>
        context.RequestServices.GetRequiredService<AuthFailures>().Failed(context, refusal);
}

using System.Text.Json;
using Hearth.Server.Api;
using Hearth.Server.Jobs;
using Hearth.Store;
using Hearth.Store.Jobs;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Hearth.Server.Admin;

/// <summary>The admin API's sessions (admin key only): named agent sessions, their binding, journal and
/// state.</summary>
internal static class SessionRoutes
{
    /// <summary>Most sessions listed per endpoint.</summary>
    private const int MaxListed = 500;

    /// <summary>How much of each journaled value the detail shows.</summary>
    private const int PreviewBytes = 512;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/api/sessions", ListAsync);
        app.MapGet("/api/sessions/{id}", GetAsync);
    }

    private static async Task<IResult> ListAsync(HttpContext http, JobService jobs, ISessionStore store)
    {
        if (await AdminAccess.DeniedAsync(http) is { } denied)
        {
            return denied;
        }

        if (Endpoints(http, jobs, out var names) is { } bad)
        {
            return bad;
        }

        var sessions = new List<object>();
        foreach (var name in names)
        {
            foreach (var s in await store.ListSessionsAsync(name, MaxListed, http.RequestAborted))
            {
                sessions.Add(Summary(name, s));
            }
        }

        return Results.Json(new { sessions }, Json);
    }

    private static async Task<IResult> GetAsync(string id, HttpContext http, JobService jobs, ISessionStore store)
    {
        if (await AdminAccess.DeniedAsync(http) is { } denied)
        {
            return denied;
        }

        if (Endpoints(http, jobs, out var names) is { } bad)
        {
            return bad;
        }

        foreach (var name in names)
        {
            if (await store.GetSessionAsync(name, id, PreviewBytes, http.RequestAborted) is { } d)
            {
                return Results.Json(new
                {
                    d.Summary.Id,
                    endpoint = name,
                    d.Summary.Worker,
                    lastActiveAt = AdminAnswers.Iso(d.Summary.LastActiveMs),
                    expiresAt = AdminAnswers.Iso(d.Summary.ExpiresMs),
                    idleTimeoutMs = d.IdleMs,
                    steps = d.Steps.Select(s => new { name = s.Key, s.JobId, at = AdminAnswers.Iso(s.AtMs),
                        bytes = s.Bytes, preview = s.Preview, truncated = s.Bytes > s.Preview.Length }),
                    state = d.State.Select(v =>
                        new { v.Key, bytes = v.Bytes, preview = v.Preview, truncated = v.Bytes > v.Preview.Length }),
                }, Json);
            }
        }

        return ApiResults.Error(404, $"No session '{id}'" + (names.Count == 1 ? $" on endpoint '{names[0]}'." : "."),
            "Sessions exist while their jobs run and for their idle timeout after; stand-alone jobs (no session_id) "
            + "have none. GET /api/sessions lists them.");
    }

    /// <summary>The endpoints to look in: <c>?endpoint=</c>, or all.</summary>
    private static IResult? Endpoints(HttpContext http, JobService jobs, out IReadOnlyList<string> names)
    {
        var only = (string?)http.Request.Query["endpoint"];
        if (string.IsNullOrEmpty(only))
        {
            names = [.. jobs.EndpointNames.Order(StringComparer.Ordinal)];
            return null;
        }

        names = [only];
        return jobs.Endpoint(only) is null
            ? AdminAnswers.UnknownEndpoint(jobs, only)
            : null;
    }

    private static object Summary(string endpoint, SessionSummary s) => new
    {
        s.Id,
        endpoint,
        s.Worker,
        lastActiveAt = AdminAnswers.Iso(s.LastActiveMs),
        expiresAt = AdminAnswers.Iso(s.ExpiresMs),
        steps = s.Steps,
        stateKeys = s.StateKeys,
    };
}

using Hearth.Core.Jobs;
using Hearth.Server.Api;
using Hearth.Server.Jobs;
using Hearth.Store;
using Hearth.Store.Jobs;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Hearth.Server.Admin;

/// <summary>
/// Recent jobs for the admin API and the dashboard: <c>GET /api/jobs?endpoint=&amp;status=&amp;limit=</c>,
/// <c>GET /api/jobs/{id}</c> (with input and output, truncated) and <c>GET /api/stats</c> (delay and execution
/// percentiles over each endpoint's recent jobs).
/// </summary>
internal static class JobRoutes
{
    /// <summary>Jobs listed when <c>limit</c> is not given (default 50).</summary>
    public const int DefaultLimit = 50;

    /// <summary>Most jobs one list returns (default 500).</summary>
    public const int MaxLimit = 500;

    private static readonly string[] Statuses =
        [JobStatus.InQueue, JobStatus.InProgress, JobStatus.Completed, JobStatus.Failed, JobStatus.Cancelled,
            JobStatus.TimedOut];

    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/jobs", ListAsync);
        api.MapGet("/jobs/{id}", GetAsync);
        api.MapGet("/stats", StatsAsync);
    }

    private static async Task<IResult> ListAsync(
        HttpContext http, JobService jobs, IJobStore store, string? endpoint, string? status, string? limit)
    {
        if (await AdminAccess.DeniedAsync(http) is { } denied)
        {
            return denied;
        }

        if (!string.IsNullOrEmpty(endpoint) && jobs.Endpoint(endpoint) is null)
        {
            return AdminAnswers.UnknownEndpoint(jobs, endpoint);
        }

        if (!string.IsNullOrEmpty(status) && !Statuses.Contains(status, StringComparer.Ordinal))
        {
            return ApiResults.Error(400, $"'{status}' is not a job status.",
                $"Use one of {string.Join(", ", Statuses)}, or leave status out for all.");
        }

        var count = DefaultLimit;
        if (!string.IsNullOrEmpty(limit) && (!int.TryParse(limit, out count) || count < 1 || count > MaxLimit))
        {
            return ApiResults.Error(400, $"limit '{limit}' is not a whole number from 1 to {MaxLimit}.",
                $"Pass limit between 1 and {MaxLimit} (default {DefaultLimit}).");
        }

        var names = string.IsNullOrEmpty(endpoint)
            ? jobs.EndpointNames.Order(StringComparer.Ordinal).ToList() : [endpoint];
        var found = new List<(string Endpoint, JobSummary Job)>();
        foreach (var name in names)
        {
            var only = string.IsNullOrEmpty(status) ? null : status;
            var recent = await store.RecentJobsAsync(name, only, count, http.RequestAborted).ConfigureAwait(false);
            found.AddRange(recent.Select(j => (name, j)));
        }

        var newest = found.OrderByDescending(f => f.Job.SubmittedMs).ThenBy(f => f.Job.Id, StringComparer.Ordinal)
            .Take(count).ToList();
        return ApiResults.Json(w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("jobs");
            foreach (var (name, job) in newest)
            {
                w.WriteStartObject();
                JobJson.WriteSummary(w, name, job);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        });
    }

    private static async Task<IResult> GetAsync(string id, HttpContext http, JobService jobs, IJobStore store)
    {
        if (await AdminAccess.DeniedAsync(http) is { } denied)
        {
            return denied;
        }

        // Job ids are unique across endpoints (the server makes them); the admin route does not need the endpoint.
        foreach (var name in jobs.EndpointNames.Order(StringComparer.Ordinal))
        {
            if (await store.GetDetailAsync(name, id, http.RequestAborted).ConfigureAwait(false) is { } detail)
            {
                return ApiResults.Json(w => JobJson.WriteDetail(w, name, detail));
            }
        }

        return ApiResults.Error(404, $"No job '{id}' on any endpoint.",
            "Job ids come from /run or /runsync; a finished job is deleted when its result retention ends, a queued "
            + "one when its TTL runs out.");
    }

    private static async Task<IResult> StatsAsync(HttpContext http, JobService jobs, IJobStore store)
    {
        if (await AdminAccess.DeniedAsync(http) is { } denied)
        {
            return denied;
        }

        var byEndpoint = new List<(string Name, IReadOnlyList<JobSummary> Jobs)>();
        foreach (var name in jobs.EndpointNames.Order(StringComparer.Ordinal))
        {
            var recent = await store.RecentJobsAsync(name, null, RedisHearthStore.RecentJobsCap, http.RequestAborted)
                .ConfigureAwait(false);
            byEndpoint.Add((name, recent));
        }

        return ApiResults.Json(w =>
        {
            w.WriteStartObject();
            w.WriteStartObject("endpoints");
            foreach (var (name, recent) in byEndpoint)
            {
                w.WriteStartObject(name);
                JobJson.WriteStats(w, recent);
                w.WriteEndObject();
            }

            w.WriteEndObject();
            w.WriteEndObject();
        });
    }
}

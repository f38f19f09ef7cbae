using System.Text.Json;
using System.Text.Json.Serialization;
using Hearth.Server.Jobs;
using Hearth.Store;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Hearth.Server.Admin;

/// <summary>The admin API (admin key only): endpoints with their state and workers, and all workers.</summary>
internal static class AdminRoutes
{
    private static readonly JsonSerializerOptions Json = new(
        JsonSerializerDefaults.Web) { DefaultIgnoreCondition = JsonIgnoreCondition.Never };

    public static void Map(IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api");
        api.MapGet("/endpoints", ListAsync);
        api.MapGet("/endpoints/{name}", GetAsync);
        api.MapGet("/workers", WorkersAsync);
        JobRoutes.Map(api);
    }

    private static async Task<IResult> ListAsync(HttpContext http, JobService jobs, IEndpointStore store)
    {
        if (await AdminAccess.DeniedAsync(http) is { } denied)
        {
            return denied;
        }

        var list = new List<object>();
        foreach (var name in jobs.EndpointNames.Order(StringComparer.Ordinal))
        {
            list.Add(await DescribeAsync(http, jobs, store, name));
        }

        return Results.Json(list, Json);
    }

    private static async Task<IResult> GetAsync(string name, HttpContext http, JobService jobs, IEndpointStore store)
    {
        if (await AdminAccess.DeniedAsync(http) is { } denied)
        {
            return denied;
        }

        return jobs.Endpoint(name) is null
            ? AdminAnswers.UnknownEndpoint(jobs, name)
            : Results.Json(await DescribeAsync(http, jobs, store, name), Json);
    }

    private static async Task<IResult> WorkersAsync(HttpContext http, JobService jobs, IEndpointStore store)
    {
        if (await AdminAccess.DeniedAsync(http) is { } denied)
        {
            return denied;
        }

        var all = new List<WorkerInfo>();
        foreach (var name in jobs.EndpointNames.Order(StringComparer.Ordinal))
        {
            all.AddRange(Status(http, jobs, name, await store.ViewAsync(name, http.RequestAborted)).Workers);
        }

        return Results.Json(all, Json);
    }

    private static async Task<object> DescribeAsync(
        HttpContext http, JobService jobs, IEndpointStore store, string name)
    {
        var view = await store.ViewAsync(name, http.RequestAborted);
        var status = Status(http, jobs, name, view);
        var endpoint = jobs.Endpoint(name)!;
        return new
        {
            name,
            status.State,
            status.Reason,
            executionTimeoutMs = endpoint.ExecutionTimeoutMs,
            ttlMs = endpoint.TtlMs,
            queue = new { inQueue = view.InQueue, inQueueLowPriority = view.InQueueLowPriority,
                inProgress = view.InProgress },
            coldStart = new { p50Ms = status.ColdStartP50Ms, p90Ms = status.ColdStartP90Ms, count = status.ColdStarts },
            volume = status.Volume,
            settings = status.Settings,
            workers = status.Workers,
        };
    }

    private static EndpointStatus Status(
        HttpContext http, JobService jobs, string name, Hearth.Store.Jobs.EndpointView view)
    {
        var directory = http.RequestServices.GetService<IWorkerDirectory>();
        if (directory?.Describe(name) is { } described)
        {
            return described;
        }

        // No host-side knowledge: workers as the store sees them (those still present).
        var workers = view.LastSeenMs.Where(w => jobs.IsPresent(w.Value))
            .Select(w => new WorkerInfo(w.Key, name, view.Holding.ContainsKey(w.Key) ? "Running" : "Idle",
                DateTimeOffset.FromUnixTimeMilliseconds(w.Value), null, null, 0, null))
            .ToList();
        var state = workers.Count > 0 ? "Ready" : "Idle";
        return new EndpointStatus(state, workers.Count > 0 ? null : "no worker has connected recently", workers, null,
            null, 0);
    }

}

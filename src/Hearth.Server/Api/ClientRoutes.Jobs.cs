using Hearth.Core.Jobs;
using Hearth.Server.Admin;
using Hearth.Server.Auth;
using Hearth.Server.Jobs;
using Hearth.Store;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Hearth.Server.Api;

internal static partial class ClientRoutes
{
    private static async Task<IResult> StatusAsync(string endpoint, string id, HttpContext http, IJobStore store)
    {
        var job = await store.GetAsync(endpoint, id, http.RequestAborted);
        return job is null
            ? JobNotFound(endpoint, id)
            : ApiResults.Json(w => StatusJson.Write(w, job, Waiting(http, endpoint, job)));
    }

    /// <summary>Why a queued job waits, when its endpoint is not serving (crash-looping, throttled,
    /// starting).</summary>
    private static string? Waiting(HttpContext http, string endpoint, Hearth.Store.Jobs.JobSnapshot job) =>
        job.Status == JobStatus.InQueue
        && http.RequestServices.GetService<IWorkerDirectory>()?.Describe(endpoint) is { State: not "Ready" } d
            ? $"endpoint {endpoint} is {d.State}" + (d.Reason is null ? string.Empty : $": {d.Reason}")
            : null;

    private static async Task<IResult> StatusSyncAsync(string endpoint, string id, HttpContext http, JobService jobs)
    {
        if (!TryWait(http, out var wait, out var waitError))
        {
            return waitError!;
        }

        var job = await jobs.WaitFinalAsync(endpoint, id, wait, http.RequestAborted);
        return job is null
            ? JobNotFound(endpoint, id)
            : ApiResults.Json(w => StatusJson.Write(w, job, Waiting(http, endpoint, job)));
    }

    private static async Task<IResult> StreamAsync(string endpoint, string id, HttpContext http, JobService jobs)
    {
        var read = await jobs.ReadStreamAsync(endpoint, id, http.RequestAborted);
        if (read is null)
        {
            return JobNotFound(endpoint, id);
        }

        return ApiResults.Json(w =>
        {
            w.WriteStartObject();
            w.WriteString("id", id);
            w.WriteString("status", read.Status);
            if (read.DelayTimeMs is { } delay)
            {
                w.WriteNumber("delayTime", delay);
            }

            w.WriteStartArray("stream");
            foreach (var chunk in read.Chunks)
            {
                w.WriteStartObject();
                w.WritePropertyName("output");
                w.WriteRawValue(chunk, skipInputValidation: true);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        });
    }

    private static async Task<IResult> CancelAsync(string endpoint, string id, HttpContext http, JobService jobs)
    {
        var result = await jobs.CancelAsync(endpoint, id, http.RequestAborted);
        return result.Found
            ? ApiResults.Json(w => StatusJson.WriteIdStatus(w, id, result.Status!))
            : JobNotFound(endpoint, id);
    }

    private static async Task<IResult> RetryAsync(string endpoint, string id, HttpContext http, JobService jobs)
    {
        var result = await jobs.RetryAsync(endpoint, id, http.RequestAborted);
        if (!result.Found)
        {
            return JobNotFound(endpoint, id);
        }

        if (!result.Changed)
        {
            return ApiResults.Error(409, $"Job {id} is {result.Status}; only FAILED or TIMED_OUT jobs can be retried.",
                "Wait for the job to finish, or submit a new job with /run.");
        }

        return ApiResults.Json(w => StatusJson.WriteIdStatus(w, id, JobStatus.InQueue));
    }

    private static async Task<IResult> PurgeAsync(string endpoint, HttpContext http, JobService jobs)
    {
        var removed = await jobs.PurgeAsync(endpoint, http.RequestAborted);
        await http.RequestServices.GetRequiredService<Audit.Auditor>().RecordAsync("queue.purge",
            Access.Caller(http)?.Actor ?? "client", http, endpoint, $"{removed} queued jobs removed",
            CancellationToken.None);
        return ApiResults.Json(w =>
        {
            w.WriteStartObject();
            w.WriteNumber("removed", removed);
            w.WriteString("status", "completed");
            w.WriteEndObject();
        });
    }

    private static async Task<IResult> HealthAsync(
        string endpoint, HttpContext http, JobService jobs, IEndpointStore store)
    {
        var c = await store.CountAsync(endpoint, jobs.NowMs, jobs.PresenceMs, http.RequestAborted);

        // When this host runs the workers, their states are known exactly (starting, crashed…), not only inferred.
        var known = http.RequestServices.GetService<IWorkerDirectory>()?.Describe(endpoint);
        long Count(string state) => known!.Workers.Count(w => w.State == state);
        var (idle, initializing, running, unhealthy) = known is null
            ? (c.WorkersIdle, 0L, c.WorkersRunning, 0L)
            : (Count("Idle"), Count("Initializing"), Count("Running"),
                Count("Unhealthy") + (known.State == "Unhealthy" ? 1 : 0));
        return ApiResults.Json(w =>
        {
            w.WriteStartObject();
            w.WriteStartObject("jobs");
            w.WriteNumber("completed", c.Completed);
            w.WriteNumber("failed", c.Failed);
            w.WriteNumber("inProgress", c.InProgress);
            w.WriteNumber("inQueue", c.InQueue);
            w.WriteNumber("retried", c.Retried);
            w.WriteEndObject();
            w.WriteStartObject("workers");
            w.WriteNumber("idle", idle);
            w.WriteNumber("initializing", initializing);
            w.WriteNumber("ready", idle + running);
            w.WriteNumber("running", running);
            w.WriteNumber("throttled", known?.State == "Throttled" ? 1 : 0);
            w.WriteNumber("unhealthy", unhealthy);
            w.WriteEndObject();
            w.WriteEndObject();
        });
    }

    private static IResult JobNotFound(string endpoint, string id) => ApiResults.Error(404,
        $"Job '{id}' does not exist on endpoint '{endpoint}'.",
        "Check the id and the endpoint; results are kept 30 min after /run and 1 min after /runsync, and a job is "
        + "deleted when its TTL runs out.");
}

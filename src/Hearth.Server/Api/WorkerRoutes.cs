using System.Globalization;
using Hearth.Core.Endpoints;
using Hearth.Core.Wire;
using Hearth.Server.Auth;
using Hearth.Server.Jobs;
using Hearth.Server.Scheduling;
using Hearth.Store.Jobs;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Hearth.Server.Api;

/// <summary>The Runpod worker protocol (spec §2): long-polled takes, results, stream chunks, heartbeats and stop
/// signals.</summary>
internal static partial class WorkerRoutes
{
    public static void Map(IEndpointRouteBuilder app)
    {
        var v2 = app.MapGroup(ApiRoutes.Endpoint).RequireKind(PrincipalKind.Worker);
        v2.MapGet($"/{ApiRoutes.JobTake}/{{workerId}}", TakeAsync);
        v2.MapGet($"/{ApiRoutes.JobTakeBatch}/{{workerId}}", TakeBatchAsync);
        v2.MapPost($"/{ApiRoutes.JobDone}/{{workerId}}/{{jobId}}", DoneAsync);
        v2.MapPost($"/{ApiRoutes.JobDoneBatch}/{{workerId}}", DoneBatchAsync);
        v2.MapPost($"/{ApiRoutes.JobStream}/{{workerId}}/{{jobId}}", StreamAsync);
        v2.MapGet($"/{ApiRoutes.Ping}/{{workerId}}", PingAsync);
        v2.MapGet($"/{ApiRoutes.JobStop}/{{workerId}}", StopAsync);
        v2.MapPost($"/{ApiRoutes.JobRelease}/{{workerId}}/{{jobId}}", ReleaseAsync);
        v2.MapGet($"/{ApiRoutes.SessionSteps}/{{workerId}}/{{jobId}}", StepsAsync);
        v2.MapPost($"/{ApiRoutes.SessionStep}/{{workerId}}/{{jobId}}", StepAsync);
        v2.MapGet($"/{ApiRoutes.SessionState}/{{workerId}}/{{jobId}}", GetStateAsync);
        v2.MapPost($"/{ApiRoutes.SessionState}/{{workerId}}/{{jobId}}", PutStateAsync);
    }

    private static Task<IResult> TakeAsync(string endpoint, string workerId, HttpContext http, JobService jobs) =>
        TakeCoreAsync(endpoint, workerId, 1, batch: false, http, jobs);

    private static Task<IResult> TakeBatchAsync(
        string endpoint, string workerId, HttpContext http, JobService jobs, ProtocolDetector detector)
    {
        var size = 1;
        if (http.Request.Query.TryGetValue("batch_size", out var raw) &&
            (!int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out size) || size < 1))
        {
            return Task.FromResult(ApiResults.Error(400, $"batch_size={raw} is not a positive whole number.",
                "Use for example batch_size=4."));
        }

        if (size > 1)
        {
            detector.Saw(endpoint, ProtocolDetection.Sign.BatchTake, http.Request.Headers.UserAgent);
        }

        return TakeCoreAsync(endpoint, workerId, size, batch: true, http, jobs);
    }

    private static async Task<IResult> TakeCoreAsync(
        string endpoint, string workerId, int max, bool batch, HttpContext http, JobService jobs)
    {
        var taken = await jobs.TakeAsync(endpoint, workerId, max, wait: true, http.RequestAborted);
        if (taken.Count == 0)
        {
            return Results.StatusCode(StatusCodes.Status204NoContent);
        }

        return ApiResults.Raw(batch ? JobArray(taken) : WithAttempt(taken[0]));
    }

    /// <summary>
    /// The job object handed to the worker, with Hearth's <c>attempt</c> (1 for the first grant; the fencing token the
    /// SDK sends back with its result) added as the last field. Runpod workers ignore it.
    /// </summary>
    private static string WithAttempt(TakenJob job) =>
        string.Concat(job.PayloadJson.AsSpan(0, job.PayloadJson.Length - 1), ",\"attempt\":",
            job.Attempt.ToString(CultureInfo.InvariantCulture), "}");

    private static string JobArray(IEnumerable<TakenJob> jobs) =>
        "[" + string.Join(",", jobs.Select(WithAttempt)) + "]";

    private static async Task<IResult> PingAsync(string endpoint, string workerId, HttpContext http, JobService jobs)
    {
        const StringSplitOptions Parts = StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries;
        var ids = http.Request.Query["job_id"].SelectMany(v => (v ?? string.Empty).Split(',', Parts)).ToArray();
        var beat = await jobs.HeartbeatAsync(endpoint, workerId, ids, http.RequestAborted);
        return JobsToStop(beat.ToStop);
    }

    private static async Task<IResult> StopAsync(string endpoint, string workerId, HttpContext http, JobService jobs)
    {
        var stops = await jobs.WaitStopsAsync(endpoint, workerId, http.RequestAborted);
        return stops.Count > 0 ? JobsToStop(stops) : Results.StatusCode(StatusCodes.Status204NoContent);
    }

    /// <summary>Hearth extension: a draining worker hands back a job it will not finish; it is re-granted at
    /// once.</summary>
    private static async Task<IResult> ReleaseAsync(
        string endpoint, string workerId, string jobId, HttpContext http, JobService jobs)
    {
        var check = await jobs.ReleaseAsync(endpoint, jobId, workerId, http.RequestAborted);
        return check == HolderCheck.Accepted ? ApiResults.Raw("{}") : Refused(check, endpoint, workerId, jobId, null);
    }

    /// <summary><c>{"jobsToStop": [ids], "attempts": {id: attempt}}</c>: the attempt each order stops (Hearth
    /// extension), so a worker already running a newer grant of the job keeps it.</summary>
    private static IResult JobsToStop(IReadOnlyList<StopOrder> orders) => ApiResults.Json(w =>
    {
        w.WriteStartObject();
        w.WriteStartArray("jobsToStop");
        foreach (var order in orders)
        {
            w.WriteStringValue(order.JobId);
        }

        w.WriteEndArray();
        if (orders.Count > 0)
        {
            w.WriteStartObject("attempts");
            foreach (var order in orders)
            {
                w.WriteNumber(order.JobId, order.Attempt);
            }

            w.WriteEndObject();
        }

        w.WriteEndObject();
    });

    private static IResult Refused(HolderCheck check, string endpoint, string workerId, string jobId, string? status)
    {
        var (code, error, hint) = Refusal(check, endpoint, workerId, jobId, status);
        return ApiResults.Error(code, error, hint);
    }

    /// <summary>Why a worker's write about a job was refused: HTTP code, error and hint (job-done, and each result of
    /// job-done-batch).</summary>
    private static (int Code, string Error, string Hint) Refusal(HolderCheck check, string endpoint, string workerId,
        string jobId, string? status) => check switch
    {
        HolderCheck.NotFound => (404, $"Job '{jobId}' does not exist on endpoint '{endpoint}'.",
            "It may have been deleted by its TTL; drop it."),
        HolderCheck.LimitReached => (413, $"Job '{jobId}' already has the most stream chunks a job may stream.",
            "Nothing was appended. Send fewer, larger chunks, or return the rest in the job's output; the operator "
            + "sets the limit (store option Growth.MaxStreamChunks, default 10,000)."),
        _ => (409, $"Worker '{workerId}' does not hold job '{jobId}'" + (status is null ? "." : $" (it is {status})."),
            "The lease expired or the job was cancelled or timed out; stop working on it. Nothing was changed."),
    };

}

using System.Globalization;
using Hearth.Core.Jobs;
using Hearth.Core.Wire;
using Hearth.Server.Auth;
using Hearth.Server.Hosting;
using Hearth.Server.Jobs;
using Hearth.Server.Webhooks;
using Hearth.Store;
using Hearth.Store.Jobs;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Hearth.Server.Api;

/// <summary>The Runpod client API (spec §1): <c>/v2/{endpoint}/run</c>, <c>/runsync</c>, <c>/status</c> and the rest.
/// Success is always 200.</summary>
internal static partial class ClientRoutes
{
    public static void Map(IEndpointRouteBuilder app)
    {
        var v2 = app.MapGroup(ApiRoutes.Endpoint).RequireKind(PrincipalKind.Client);
        v2.MapPost($"/{ApiRoutes.Run}", RunAsync).Needs(ClientOperations.Run, RateClasses.Run);
        v2.MapPost($"/{ApiRoutes.RunBatch}", RunBatchAsync).Needs(ClientOperations.Run, RateClasses.Run);
        v2.MapPost($"/{ApiRoutes.RunSync}", RunSyncAsync).Needs(ClientOperations.Run, RateClasses.RunSync);
        v2.MapGet($"/{ApiRoutes.Status}/{{id}}", StatusAsync).Needs(ClientOperations.Read, RateClasses.Status);
        v2.MapGet($"/{ApiRoutes.StatusSync}/{{id}}", StatusSyncAsync).Needs(ClientOperations.Read, RateClasses.Status);
        v2.MapGet($"/{ApiRoutes.Stream}/{{id}}", StreamAsync).Needs(ClientOperations.Read, RateClasses.Stream);
        v2.MapPost($"/{ApiRoutes.Cancel}/{{id}}", CancelAsync).Needs(ClientOperations.Cancel, RateClasses.Cancel);
        v2.MapPost($"/{ApiRoutes.Retry}/{{id}}", RetryAsync).Needs(ClientOperations.Run, RateClasses.Run);
        v2.MapPost($"/{ApiRoutes.PurgeQueue}", PurgeAsync).Needs(ClientOperations.Purge, RateClasses.Purge);
        v2.MapGet($"/{ApiRoutes.Health}", HealthAsync).Needs(ClientOperations.Read, RateClasses.Health);
    }

    private static async Task<IResult> RunAsync(
        string endpoint, HttpContext http, JobService jobs, IJobStore store, WebhookTargetGuard guard)
    {
        var (id, error) = await SubmitAsync(endpoint, http, jobs, guard, sync: false, JobLimits.MaxRunBodyBytes,
            JobLimits.RunRetentionMs);
        if (error is not null)
        {
            return error;
        }

        if (!Idempotency.IsReplay(http))
        {
            return ApiResults.Json(w => StatusJson.WriteIdStatus(w, id!, JobStatus.InQueue));
        }

        // A replayed Idempotency-Key answers with the first job as it is now.
        var first = await store.GetAsync(endpoint, id!, http.RequestAborted);
        return first is null
            ? ApiResults.Error(410,
                $"This Idempotency-Key belongs to job {id}, whose result retention has ended; it no longer exists.",
                "Its result was readable for its retention after it finished; send a new key to run the request again.")
            : ApiResults.Json(w => StatusJson.WriteIdStatus(w, id!, first.Status));
    }

    private static async Task<IResult> RunSyncAsync(
        string endpoint, HttpContext http, JobService jobs, WebhookTargetGuard guard)
    {
        if (!TryWait(http, out var wait, out var waitError))
        {
            return waitError!;
        }

        var hasWait = http.Request.Query.ContainsKey("wait");
        var retention = hasWait ? JobLimits.RunSyncMaxRetentionMs : JobLimits.RunSyncRetentionMs;
        var (id, error) = await SubmitAsync(endpoint, http, jobs, guard, sync: true, JobLimits.MaxRunSyncBodyBytes,
            retention);
        if (error is not null)
        {
            return error;
        }

        var job = await jobs.WaitFinalAsync(endpoint, id!, wait, http.RequestAborted);
        return job is null
            ? ApiResults.Json(w => StatusJson.WriteIdStatus(w, id!, JobStatus.InQueue))
            : ApiResults.Json(w => StatusJson.Write(w, job));
    }

    private static async Task<(string? Id, IResult? Error)> SubmitAsync(
        string endpoint, HttpContext http, JobService jobs, WebhookTargetGuard guard, bool sync, long limit,
        long retention)
    {
        var (document, bodyError) = await RequestBody.ReadJsonAsync(http, limit, sync ? "/runsync" : "/run");
        if (bodyError is not null)
        {
            return (null, bodyError);
        }

        using (document)
        {
            var (submission, error) = SubmitRequest.Parse(document!, jobs.Endpoint(endpoint)!, http.Request.Query);
            if (error is not null)
            {
                return (null, error);
            }

            if (submission!.Webhook is { } hook)
            {
                var check = await guard.CheckAsync(hook, http.RequestAborted);
                if (!check.Allowed)
                {
                    await http.RequestServices.GetRequiredService<Audit.Auditor>().RecordAsync("webhook.refused",
                        Access.Caller(http)?.Actor ?? "client", http, WebhookDispatcher.TargetHost(hook.ToString()),
                        $"at submission to {endpoint}: {check.Reason}", CancellationToken.None);
                    return (null, ApiResults.Error(400, $"'webhook' is refused: {check.Reason}",
                        "Use a public http(s) URL, or ask the operator to allow-list its network in "
                        + "Webhooks:AllowedCidrs."));
                }
            }

            var traced = submission with { TraceParent = http.Request.Headers["traceparent"].FirstOrDefault() };
            if (Idempotency.Claim(http, document!.RootElement) is var (claim, claimError) && claimError is not null)
            {
                return (null, claimError);
            }

            var result = await jobs.SubmitAsync(endpoint, traced, sync, retention, claim, http.RequestAborted);
            return result.Outcome switch
            {
                SubmitOutcome.KeyReused => (null, ApiResults.Error(409,
                    $"Idempotency-Key '{http.Request.Headers[Idempotency.Header]}' was already used with a different "
                    + $"body (job {result.JobId}).",
                    "Send a new key for a new request; reuse a key only to retry the very same request.")),
                SubmitOutcome.Replayed => (Idempotency.MarkReplayed(http, result.JobId), null),
                _ => (result.JobId, null),
            };
        }
    }

    /// <summary>Parses <c>?wait=</c> (1000–300000 ms, default 90000).</summary>
    private static bool TryWait(HttpContext http, out TimeSpan wait, out IResult? error)
    {
        wait = TimeSpan.FromMilliseconds(JobLimits.DefaultRunSyncWaitMs);
        error = null;
        if (!http.Request.Query.TryGetValue("wait", out var raw))
        {
            return true;
        }

        if (!int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var ms) || ms < JobLimits.MinWaitMs
            || ms > JobLimits.MaxWaitMs)
        {
            error = ApiResults.Error(400, $"wait={raw} is not allowed: it must be a whole number of milliseconds from "
                + $"{JobLimits.MinWaitMs} to {JobLimits.MaxWaitMs}.",
                "Use for example ?wait=30000, or leave it out for the default 90000.");
            return false;
        }

        wait = TimeSpan.FromMilliseconds(ms);
        return true;
    }
}

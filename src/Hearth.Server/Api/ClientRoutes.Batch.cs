using System.Text.Json;
using Hearth.Core.Jobs;
using Hearth.Server.Auth;
using Hearth.Server.Jobs;
using Hearth.Server.Webhooks;
using Hearth.Store.Jobs;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Hearth.Server.Api;

/// <summary>
/// <c>POST /v2/{endpoint}/runbatch</c> (Hearth extension): <c>{"jobs": [item, …]}</c>, each item a <c>/run</c> body
/// (plus an optional <c>idempotencyKey</c>), validated like <c>/run</c>; the valid ones are submitted with one durable
/// wait, and the answer lists each item's outcome in order: <c>{"id", "status"}</c> (with <c>"replayed": true</c> for
/// an idempotent repeat) or <c>{"error", "hint", "code"}</c>. An invalid item refuses only itself.
/// </summary>
internal static partial class ClientRoutes
{
    /// <summary>Most items in one batch.</summary>
    public const int MaxBatchItems = 1000;

    private static async Task<IResult> RunBatchAsync(
        string endpoint, HttpContext http, JobService jobs, WebhookTargetGuard guard)
    {
        var (document, bodyError) = await RequestBody.ReadJsonAsync(http, JobLimits.MaxRunSyncBodyBytes, "/runbatch");
        if (bodyError is not null)
        {
            return bodyError;
        }

        using (document)
        {
            var root = document!.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("jobs", out var list)
                || list.ValueKind != JsonValueKind.Array || list.GetArrayLength() is 0 or > MaxBatchItems)
            {
                return ApiResults.Error(400, $"A batch is {{\"jobs\": [...]}} with 1 to {MaxBatchItems} items.",
                    "Send {\"jobs\": [{\"input\": {...}}, {\"input\": {...}}]}; each item is what /run takes.");
            }

            var outcomes = new ApiError?[list.GetArrayLength()];
            var accepted = new List<(int Index, JobSubmission Submission, IdempotencyClaim? Claim)>();
            var i = 0;
            foreach (var item in list.EnumerateArray())
            {
                var (submission, claim, error) = await ItemAsync(endpoint, http, jobs, guard, item);
                if (error is not null)
                {
                    outcomes[i] = error;
                }
                else
                {
                    accepted.Add((i, submission!, claim));
                }

                i++;
            }

            var results = accepted.Count == 0 ? [] : await jobs.SubmitManyAsync(endpoint,
                [.. accepted.Select(a => (a.Submission, a.Claim))], JobLimits.RunRetentionMs, http.RequestAborted);
            var byIndex = accepted.Select((a, n) => (a.Index, Result: results[n]))
                .ToDictionary(x => x.Index, x => x.Result);
            return ApiResults.Json(w =>
            {
                w.WriteStartObject();
                w.WriteStartArray("jobs");
                for (var n = 0; n < outcomes.Length; n++)
                {
                    if (outcomes[n] is { } refused)
                    {
                        w.WriteStartObject();
                        w.WriteString("error", refused.Message);
                        w.WriteString("hint", refused.Hint);
                        w.WriteNumber("code", refused.Status);
                        w.WriteEndObject();
                        continue;
                    }

                    var result = byIndex[n];
                    w.WriteStartObject();
                    if (result.Outcome == SubmitOutcome.KeyReused)
                    {
                        w.WriteString("error", $"idempotencyKey was already used with a different item (job "
                            + $"{result.JobId}).");
                        w.WriteString("hint", "Send a new key for a new item; reuse a key only to retry the same one.");
                        w.WriteNumber("code", StatusCodes.Status409Conflict);
                    }
                    else
                    {
                        w.WriteString("id", result.JobId);
                        w.WriteString("status", JobStatus.InQueue);
                        if (result.Outcome == SubmitOutcome.Replayed)
                        {
                            w.WriteBoolean("replayed", true);
                        }
                    }

                    w.WriteEndObject();
                }

                w.WriteEndArray();
                w.WriteEndObject();
            });
        }
    }

    /// <summary>One item: parsed like a <c>/run</c> body, its webhook checked, its idempotency key claimed.</summary>
    private static async Task<(JobSubmission? Submission, IdempotencyClaim? Claim, ApiError? Error)> ItemAsync(
        string endpoint, HttpContext http, JobService jobs, WebhookTargetGuard guard, JsonElement item)
    {
        var (submission, error) = SubmitRequest.Parse(item, jobs.Endpoint(endpoint)!, http.Request.Query);
        if (error is not null)
        {
            return (null, null, error as ApiError);
        }

        if (submission!.Webhook is { } hook
            && await guard.CheckAsync(hook, http.RequestAborted) is { Allowed: false } c)
        {
            await http.RequestServices.GetRequiredService<Audit.Auditor>().RecordAsync("webhook.refused",
                Access.Caller(http)?.Actor ?? "client", http, WebhookDispatcher.TargetHost(hook), $"at submission to "
                + $"{endpoint} (batch): {c.Reason}", CancellationToken.None);
            return (null, null, new ApiError(400, $"'webhook' is refused: {c.Reason}",
                "Use a public http(s) URL, or ask the operator to allow-list its network in Webhooks:AllowedCidrs."));
        }

        IdempotencyClaim? claim = null;
        if (item.TryGetProperty("idempotencyKey", out var key) && key.ValueKind != JsonValueKind.Null)
        {
            var (made, keyError) = Idempotency.For(http, key.ValueKind == JsonValueKind.String ? key.GetString() : null,
                item);
            if (keyError is not null)
            {
                return (null, null, keyError as ApiError);
            }

            claim = made;
        }

        var traced = submission with { TraceParent = http.Request.Headers["traceparent"].FirstOrDefault() };
        return (traced, claim, null);
    }
}

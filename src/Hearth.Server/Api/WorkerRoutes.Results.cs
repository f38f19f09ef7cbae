using System.Globalization;
using System.Text.Json;
using Hearth.Core.Jobs;
using Hearth.Server.Jobs;
using Hearth.Store.Jobs;
using Microsoft.AspNetCore.Http;

namespace Hearth.Server.Api;

internal static partial class WorkerRoutes
{
    /// <summary>
    /// A result from runpod-python arrives as JSON with Content-Type application/x-www-form-urlencoded; the body is parsed
    /// as JSON whatever the header says. <c>"status": "IN_PROGRESS"</c> is a progress update; <c>error</c> means FAILED.
    /// </summary>
    private static async Task<IResult> DoneAsync(string endpoint, string workerId, string jobId, HttpContext http, JobService jobs)
    {
        var (document, bodyError) = await RequestBody.ReadJsonAsync(http, JobLimits.MaxResultBodyBytes, "job-done", allowEmpty: true);
        if (bodyError is not null)
        {
            return bodyError;
        }

        using (document)
        {
            var root = document!.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return ApiResults.Error(400, "The job-done body must be a JSON object.", "Send {\"output\": ...} or {\"error\": \"...\"}.");
            }

            var (output, error) = ReadResult(root);
            if (IsProgress(root))
            {
                var progress = await jobs.Store.ProgressAsync(endpoint, jobId, workerId, output ?? "null", http.RequestAborted);
                return progress == HolderCheck.Accepted ? Ok() : Refused(progress, endpoint, workerId, jobId, null);
            }

            int? attempt = int.TryParse(http.Request.Query["attempt"], NumberStyles.None, CultureInfo.InvariantCulture, out var a) ? a : null;
            var result = await jobs.Store.CompleteAsync(endpoint, new JobCompletion(jobId, workerId, attempt, jobs.NowMs, error is not null, output, error), http.RequestAborted);
            if (result.Check != HolderCheck.Accepted)
            {
                return Refused(result.Check, endpoint, workerId, jobId, result.Status);
            }

            if (root.TryGetProperty("stopPod", out var stop) && stop.ValueKind == JsonValueKind.True)
            {
                // The worker will exit after this job (runpod-python refresh_worker): hand it nothing more.
                await jobs.Store.RetireWorkerAsync(endpoint, workerId, http.RequestAborted);
                jobs.Signals.JobChanged(endpoint, jobId);
                jobs.Tracing?.Finalized(endpoint, jobId, result.Final);
                return Ok();
            }

            jobs.Signals.JobChanged(endpoint, jobId);
            jobs.Tracing?.Finalized(endpoint, jobId, result.Final);
            return await NextJobsAsync(endpoint, workerId, http, jobs) ?? Ok();
        }
    }

    private static async Task<IResult> StreamAsync(string endpoint, string workerId, string jobId, HttpContext http, JobService jobs)
    {
        var (document, bodyError) = await RequestBody.ReadJsonAsync(http, JobLimits.MaxStreamChunkBytes, "job-stream");
        if (bodyError is not null)
        {
            return bodyError;
        }

        using (document)
        {
            var root = document!.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("output", out var chunk))
            {
                return ApiResults.Error(400, "A stream chunk must be a JSON object with 'output'.", "Send {\"output\": <chunk>} once per chunk.");
            }

            var check = await jobs.Store.AppendStreamAsync(endpoint, jobId, workerId, chunk.GetRawText(), http.RequestAborted);
            if (check != HolderCheck.Accepted)
            {
                return Refused(check, endpoint, workerId, jobId, null);
            }

            jobs.Signals.JobChanged(endpoint, jobId);
            return Ok();
        }
    }

    private static IResult Ok() => ApiResults.Raw("{}");

    /// <summary>A result body's output (raw JSON) and error (a string as is, anything else as raw JSON); error means FAILED.</summary>
    private static (string? Output, string? Error) ReadResult(JsonElement root)
    {
        var output = root.TryGetProperty("output", out var o) ? o.GetRawText() : null;
        string? error = null;
        if (root.TryGetProperty("error", out var e) && e.ValueKind != JsonValueKind.Null)
        {
            error = e.ValueKind == JsonValueKind.String ? e.GetString() : e.GetRawText();
        }

        return (output, error);
    }

    private static bool IsProgress(JsonElement root) =>
        root.TryGetProperty("status", out var s) && s.ValueKind == JsonValueKind.String && s.GetString() == JobStatus.InProgress;

    /// <summary>
    /// Hearth extension: <c>?next=n</c> on a result takes up to <c>n</c> more jobs in the same round trip (no waiting),
    /// answered as <c>{"next": [job, ...]}</c>: a busy worker then needs one request per job instead of two.
    /// </summary>
    private static async Task<IResult?> NextJobsAsync(string endpoint, string workerId, HttpContext http, JobService jobs) =>
        await TakeNextAsync(endpoint, workerId, http, jobs) is { } next ? ApiResults.Raw("{\"next\":" + next + "}") : null;

    /// <summary>The jobs <c>?next=n</c> asks for, as a JSON array; null without a valid <c>next</c>.</summary>
    private static async Task<string?> TakeNextAsync(string endpoint, string workerId, HttpContext http, JobService jobs)
    {
        if (!http.Request.Query.TryGetValue("next", out var raw))
        {
            return null;
        }

        if (!int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var next) || next < 1)
        {
            return null;
        }

        var taken = await jobs.Store.TakeAsync(endpoint, workerId, Math.Min(next, jobs.Options.MaxTakeBatch), jobs.NowMs, (long)jobs.Options.Lease.TotalMilliseconds, CancellationToken.None);
        if (taken is TakenJobs { ParkedAny: true })
        {
            jobs.Signals.WorkAvailable(endpoint);
        }

        if (taken.Count > 0 && http.RequestAborted.IsCancellationRequested)
        {
            // The worker hung up: hand the jobs back now rather than after a lease.
            foreach (var job in taken)
            {
                await jobs.Store.ReleaseAsync(endpoint, job.Id, workerId, CancellationToken.None);
            }

            jobs.Signals.WorkAvailable(endpoint);
            return "[]";
        }

        return "[" + string.Join(",", taken.Select(WithAttempt)) + "]";
    }
}

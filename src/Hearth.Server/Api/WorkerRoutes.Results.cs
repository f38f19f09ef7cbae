using System.Globalization;
using System.Text.Json;
using Hearth.Core.Endpoints;
using Hearth.Core.Jobs;
using Hearth.Server.Jobs;
using Hearth.Server.Observability;
using Hearth.Server.Scheduling;
using Hearth.Store.Jobs;
using Microsoft.AspNetCore.Http;

namespace Hearth.Server.Api;

internal static partial class WorkerRoutes
{
    /// <summary>
    /// A result from runpod-python arrives as JSON with Content-Type application/x-www-form-urlencoded; the body is
    /// parsed
    /// as JSON whatever the header says. <c>"status": "IN_PROGRESS"</c> is a progress update; <c>error</c> means
    /// FAILED.
    /// </summary>
    private static async Task<IResult> DoneAsync(
        string endpoint, string workerId, string jobId, HttpContext http, JobService jobs, ProtocolDetector detector)
    {
        detector.Saw(endpoint, ProtocolDetection.Sign.Result, http.Request.Headers.UserAgent);
        var (document, bodyError) = await RequestBody.ReadJsonAsync(http, JobLimits.MaxResultBodyBytes, "job-done",
            allowEmpty: true);
        if (bodyError is not null)
        {
            return bodyError;
        }

        using (document)
        {
            var root = document!.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return ApiResults.Error(400, "The job-done body must be a JSON object.",
                    "Send {\"output\": ...} or {\"error\": \"...\"}.");
            }

            var (output, error) = ReadResult(root);
            if (IsProgress(root))
            {
                var progress = await jobs.ProgressAsync(
                    endpoint, jobId, workerId, output ?? "null", http.RequestAborted);
                return progress == HolderCheck.Accepted ? Ok() : Refused(progress, endpoint, workerId, jobId, null);
            }

            var rawAttempt = http.Request.Query["attempt"];
            int? attempt = int.TryParse(rawAttempt, NumberStyles.None, CultureInfo.InvariantCulture, out var a)
                ? a
                : null;

            // stopPod: the worker exits after this job (runpod-python refresh_worker): it is handed nothing more.
            var stopPod = root.TryGetProperty("stopPod", out var stop) && stop.ValueKind == JsonValueKind.True;
            var completion = new JobCompletion(jobId, workerId, attempt, jobs.NowMs, error is not null, output, error)
            {
                SpansJson = ResultSpans.Take(root),
            };
            if (!stopPod && NextWanted(http) is { } wanted)
            {
                // Hearth extension: the result and the worker's next jobs in one round trip and one store call.
                var (outcomes, taken) = await jobs.CompleteAllAsync(
                    endpoint, workerId, [completion], wanted, http.RequestAborted);
                return outcomes[0].Check != HolderCheck.Accepted
                    ? Refused(outcomes[0].Check, endpoint, workerId, jobId, outcomes[0].Status)
                    : ApiResults.Raw("{\"next\":" + JobArray(taken) + "}");
            }

            var result = await jobs.CompleteAsync(endpoint, completion, retireWorker: stopPod, http.RequestAborted);
            return result.Check != HolderCheck.Accepted
                ? Refused(result.Check, endpoint, workerId, jobId, result.Status)
                : Ok();
        }
    }

    private static async Task<IResult> StreamAsync(
        string endpoint, string workerId, string jobId, HttpContext http, JobService jobs, ProtocolDetector detector)
    {
        detector.Saw(endpoint, ProtocolDetection.Sign.Stream, http.Request.Headers.UserAgent);
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
                return ApiResults.Error(400, "A stream chunk must be a JSON object with 'output'.",
                    "Send {\"output\": <chunk>} once per chunk.");
            }

            var check = await jobs.AppendStreamAsync(
                endpoint, jobId, workerId, chunk.GetRawText(), http.RequestAborted);
            return check == HolderCheck.Accepted ? Ok() : Refused(check, endpoint, workerId, jobId, null);
        }
    }

    private static IResult Ok() => ApiResults.Raw("{}");

    /// <summary>A result body's output (raw JSON) and error (a string as is, anything else as raw JSON); error means
    /// FAILED.</summary>
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
        root.TryGetProperty("status", out var s) && s.ValueKind == JsonValueKind.String
            && s.GetString() == JobStatus.InProgress;

    /// <summary>
    /// Hearth extension: <c>?next=n</c> on a result takes up to <c>n</c> more jobs in the same round trip (no waiting),
    /// answered as <c>{"next": [job, ...]}</c>: a busy worker then needs one request per job instead of two. Null
    /// without a valid <c>next</c>.
    /// </summary>
    private static int? NextWanted(HttpContext http) =>
        http.Request.Query.TryGetValue("next", out var raw)
        && int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var next) && next >= 1
            ? next : null;
}

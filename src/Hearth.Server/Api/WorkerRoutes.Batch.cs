using System.Text.Json;
using Hearth.Core.Jobs;
using Hearth.Server.Hosting;
using Hearth.Server.Jobs;
using Hearth.Server.Observability;
using Hearth.Store.Jobs;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Hearth.Server.Api;

internal static partial class WorkerRoutes
{
    /// <summary>
    /// Hearth extension: several final results in one request, <c>[{"id": ..., "attempt": n, "output": ...} |
    /// {"id": ..., "error": ...}, ...]</c>, each checked and applied as <c>job-done</c> would, with <c>?next=n</c> as
    /// on <c>job-done</c> — one store call for the results and the next jobs. The answer lists each result's outcome
    /// in order — <c>{"results": [{"id", "code": 200 | 404 | 409, "error"?, "hint"?}], "next": [...]}</c>, a refusal
    /// worded as job-done's — so one refused result does not refuse the others. The whole body is validated before
    /// anything is applied. Progress updates and <c>stopPod</c> go through <c>job-done</c>.
    /// </summary>
    private static async Task<IResult> DoneBatchAsync(
        string endpoint, string workerId, HttpContext http, JobService jobs, IOptions<HearthServerOptions> options)
    {
        var (document, bodyError) = await RequestBody.ReadJsonAsync(http, JobLimits.MaxResultBodyBytes,
            "job-done-batch");
        if (bodyError is not null)
        {
            return bodyError;
        }

        using (document)
        {
            var max = options.Value.MaxTakeBatch;
            var (completions, invalid) = ReadBatch(document!.RootElement, workerId, jobs.NowMs, max);
            if (invalid is not null)
            {
                return invalid;
            }

            var (outcomes, taken) = await jobs.CompleteAllAsync(endpoint, workerId, completions!,
                NextWanted(http) ?? 0, http.RequestAborted);
            var next = JobArray(taken);
            return ApiResults.Json(w =>
            {
                w.WriteStartObject();
                w.WriteStartArray("results");
                for (var i = 0; i < outcomes.Count; i++)
                {
                    var (id, outcome) = (completions![i].JobId, outcomes[i]);
                    w.WriteStartObject();
                    w.WriteString("id", id);
                    if (outcome.Check == HolderCheck.Accepted)
                    {
                        w.WriteNumber("code", 200);
                    }
                    else
                    {
                        var (code, error, hint) = Refusal(outcome.Check, endpoint, workerId, id, outcome.Status);
                        w.WriteNumber("code", code);
                        w.WriteString("error", error);
                        w.WriteString("hint", hint);
                    }

                    w.WriteEndObject();
                }

                w.WriteEndArray();
                w.WritePropertyName("next");
                w.WriteRawValue(next, skipInputValidation: true);
                w.WriteEndObject();
            });
        }
    }

    /// <summary>The completions of a batch body, or the 400 that names its first problem (then nothing is
    /// applied).</summary>
    private static (List<JobCompletion>? Completions, IResult? Invalid) ReadBatch(
        JsonElement root, string workerId, long now, int maxResults)
    {
        const string Fix = "Send [{\"id\": \"<job id>\", \"attempt\": <n>, \"output\": ...} or {\"id\": ..., "
            + "\"error\": \"...\"}, ...].";
        if (root.ValueKind != JsonValueKind.Array)
        {
            return (null, ApiResults.Error(400, "The job-done-batch body must be a JSON array of results.", Fix));
        }

        var count = root.GetArrayLength();
        if (count == 0 || count > maxResults)
        {
            return (null, ApiResults.Error(400,
                $"A job-done-batch carries 1 to {maxResults} results; this one has {count}.",
                "Split it, or post single results to job-done."));
        }

        var completions = new List<JobCompletion>(count);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in root.EnumerateArray())
        {
            var at = completions.Count;
            if (item.ValueKind != JsonValueKind.Object || !item.TryGetProperty("id", out var idElement) ||
                idElement.ValueKind != JsonValueKind.String ||
                idElement.GetString() is not { Length: > 0 } id)
            {
                return (null,
                    ApiResults.Error(400, $"Result {at} of the batch is not an object with a string 'id'.", Fix));
            }

            if (!seen.Add(id))
            {
                return (null,
                    ApiResults.Error(400, $"Job '{id}' appears twice in the batch.", "Send each job's result once."));
            }

            if (IsProgress(item) || item.TryGetProperty("stopPod", out _))
            {
                return (null, ApiResults.Error(400, $"Result {at} ('{id}') is a progress update or carries stopPod.",
                    "Post progress updates and stopPod results to job-done; a batch carries final results only."));
            }

            int? attempt = null;
            if (item.TryGetProperty("attempt", out var a) && a.ValueKind != JsonValueKind.Null)
            {
                if (a.ValueKind != JsonValueKind.Number || !a.TryGetInt32(out var n) || n < 1)
                {
                    return (null, ApiResults.Error(400,
                        $"Result {at} ('{id}') has attempt {a.GetRawText()}; it must be a positive whole number.",
                        "Send the attempt the job was handed out with, or leave it out."));
                }

                attempt = n;
            }

            var (output, error) = ReadResult(item);
            completions.Add(new JobCompletion(id, workerId, attempt, now, error is not null, output, error)
            {
                SpansJson = ResultSpans.Take(item),
            });
        }

        return (completions, null);
    }
}

using Hearth.Server.Jobs;
using Hearth.Store.Jobs;
using Microsoft.AspNetCore.Http;

namespace Hearth.Server.Api;

internal static partial class WorkerRoutes
{
    /// <summary>Largest journaled step result: 10 MB (a checkpoint).</summary>
    private const long MaxStepBytes = 10 * 1024 * 1024;

    /// <summary>Hearth extension: the journal of the job's session, so a rehydrated worker skips finished steps.</summary>
    private static async Task<IResult> StepsAsync(string endpoint, string workerId, string jobId, HttpContext http, JobService jobs)
    {
        var steps = await jobs.Store.GetStepsAsync(endpoint, jobId, workerId, http.RequestAborted);
        if (steps is null)
        {
            return Refused(HolderCheck.NotHolder, endpoint, workerId, jobId, null);
        }

        return ApiResults.Json(w =>
        {
            w.WriteStartObject();
            w.WriteStartObject("steps");
            foreach (var (key, value) in steps)
            {
                w.WritePropertyName(key);
                w.WriteRawValue(value, skipInputValidation: true);
            }

            w.WriteEndObject();
            w.WriteEndObject();
        });
    }

    /// <summary>Hearth extension: journals one step result, fenced by the job's lease (a worker that lost it gets 409).</summary>
    private static async Task<IResult> StepAsync(string endpoint, string workerId, string jobId, HttpContext http, JobService jobs)
    {
        var key = (string?)http.Request.Query["key"];
        if (string.IsNullOrWhiteSpace(key) || key.Length > 200 || key.Any(char.IsControl))
        {
            return ApiResults.Error(400, "A step needs ?key=NAME (1-200 printable characters).", "Name the step, e.g. ?key=decompose or ?key=web-retrieval[2].");
        }

        var (document, bodyError) = await RequestBody.ReadJsonAsync(http, MaxStepBytes, "session-step");
        if (bodyError is not null)
        {
            return bodyError;
        }

        using (document)
        {
            var written = await jobs.Store.PutStepAsync(endpoint, jobId, workerId, key, document!.RootElement.GetRawText(), jobs.NowMs, http.RequestAborted);
            return written switch
            {
                StepWrite.Written or StepWrite.AlreadyJournaled => ApiResults.Raw(written == StepWrite.Written ? "{\"journaled\":true}" : "{\"journaled\":false}"),
                StepWrite.NotFound => Refused(HolderCheck.NotFound, endpoint, workerId, jobId, null),
                _ => Refused(HolderCheck.NotHolder, endpoint, workerId, jobId, null),
            };
        }
    }
}

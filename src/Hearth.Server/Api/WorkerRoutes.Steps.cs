using Hearth.Server.Jobs;
using Hearth.Store;
using Hearth.Store.Jobs;
using Microsoft.AspNetCore.Http;

namespace Hearth.Server.Api;

internal static partial class WorkerRoutes
{
    /// <summary>Largest journaled step result or session state value: 10 MB (a checkpoint).</summary>
    private const long MaxStepBytes = SessionLimits.MaxValueBytes;

    /// <summary>Hearth extension: the journal of the job's session, so a rehydrated worker skips finished
    /// steps.</summary>
    private static async Task<IResult> StepsAsync(
        string endpoint, string workerId, string jobId, HttpContext http, ISessionStore store)
    {
        var steps = await store.GetStepsAsync(endpoint, jobId, workerId, http.RequestAborted);
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

    /// <summary>Hearth extension: journals one step result, fenced by the job's lease (a worker that lost it gets
    /// 409).</summary>
    private static async Task<IResult> StepAsync(
        string endpoint, string workerId, string jobId, HttpContext http, ISessionStore store, JobService jobs)
    {
        if (KeyOf(http) is not { } key)
        {
            return BadKey("A step", "?key=decompose or ?key=web-retrieval[2]");
        }

        var (document, bodyError) = await RequestBody.ReadJsonAsync(http, MaxStepBytes, "session-step");
        if (bodyError is not null)
        {
            return bodyError;
        }

        using (document)
        {
            var written = await store.PutStepAsync(
                endpoint, jobId, workerId, key, document!.RootElement.GetRawText(), jobs.NowMs, http.RequestAborted);
            return written switch
            {
                StepWrite.Written or StepWrite.AlreadyJournaled =>
                    ApiResults.Raw(written == StepWrite.Written ? "{\"journaled\":true}" : "{\"journaled\":false}"),
                StepWrite.NotFound => Refused(HolderCheck.NotFound, endpoint, workerId, jobId, null),
                StepWrite.LimitReached => ApiResults.Error(413,
                    $"The session of job '{jobId}' already journals the most steps a session may.",
                    "Nothing was journaled. Start a new session for a new task, or journal coarser steps; the "
                    + "operator sets the limit (store option Growth.MaxJournalEntries, default 10,000)."),
                _ => Refused(HolderCheck.NotHolder, endpoint, workerId, jobId, null),
            };
        }
    }

    /// <summary>Hearth extension: one value of the job's session state (<c>ctx.Session</c>), for the job's lease
    /// holder.</summary>
    private static async Task<IResult> GetStateAsync(
        string endpoint, string workerId, string jobId, HttpContext http, ISessionStore store)
    {
        if (KeyOf(http) is not { } key)
        {
            return BadKey("Session state", "?key=plan");
        }

        var read = await store.GetStateAsync(endpoint, jobId, workerId, key, http.RequestAborted);
        return read.Found
            ? ApiResults.Raw("{\"value\":" + (read.ValueJson ?? "null") + "}")
            : Refused(HolderCheck.NotHolder, endpoint, workerId, jobId, null);
    }

    /// <summary>Hearth extension: sets one value of the job's session state (a JSON <c>null</c> body deletes it),
    /// fenced by the lease.</summary>
    private static async Task<IResult> PutStateAsync(
        string endpoint, string workerId, string jobId, HttpContext http, ISessionStore store, JobService jobs)
    {
        if (KeyOf(http) is not { } key)
        {
            return BadKey("Session state", "?key=plan");
        }

        var (document, bodyError) = await RequestBody.ReadJsonAsync(http, MaxStepBytes, "session-state");
        if (bodyError is not null)
        {
            return bodyError;
        }

        using (document)
        {
            var value = document!.RootElement.ValueKind == System.Text.Json.JsonValueKind.Null
                ? null : document.RootElement.GetRawText();
            var written = await store.PutStateAsync(
                endpoint, jobId, workerId, key, value, jobs.NowMs, http.RequestAborted);
            return written switch
            {
                StateWrite.Written => ApiResults.Raw("{\"written\":true}"),
                StateWrite.NotFound => Refused(HolderCheck.NotFound, endpoint, workerId, jobId, null),
                StateWrite.TooManyKeys => ApiResults.Error(413,
                    $"The session already holds {SessionLimits.MaxStateKeys} state keys.",
                    "Keep session state small: group values under fewer keys, or delete keys you no "
                    + "longer need (set them to null)."),
                StateWrite.TooLarge => ApiResults.Error(413,
                    "The session's state would pass the most bytes a session may hold in all; nothing was written.",
                    "Keep large artifacts outside the session (a volume or object store) and keep their address in "
                    + "state, or delete values you no longer need; the operator sets the limit (store option "
                    + "Growth.MaxStateBytes, default 64 MiB)."),
                _ => Refused(HolderCheck.NotHolder, endpoint, workerId, jobId, null),
            };
        }
    }

    private static string? KeyOf(HttpContext http)
    {
        var key = (string?)http.Request.Query["key"];
        return string.IsNullOrWhiteSpace(key) || key.Length > 200 || key.Any(char.IsControl) ? null : key;
    }

    private static IResult BadKey(string what, string example) =>
        ApiResults.Error(400, $"{what} needs ?key=NAME (1-200 printable characters).", $"Name it, e.g. {example}.");
}

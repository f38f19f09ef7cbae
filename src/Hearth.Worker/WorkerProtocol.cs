using System.Net;
using System.Text;
using System.Text.Json;
using Hearth.Core.Wire;
using Polly;

namespace Hearth.Worker;

/// <summary>
/// The worker side of the Runpod protocol (spec §2), with runpod-python's URL rules: <c>$ID</c> in the take URL is the
/// worker id; in the done and stream URLs <c>$RUNPOD_POD_ID</c> is the worker id and <c>$ID</c> the job id; query
/// parameters are appended with <c>&amp;</c>. Job-stop is the take URL with <c>/job-take/</c> → <c>/job-stop/</c>.
/// </summary>
internal sealed class WorkerProtocol(HttpClient http, WorkerOptions options, ResiliencePipeline? calls = null)
{
    private readonly string _take = options.JobTakeUrl.Replace("$ID", options.WorkerId, StringComparison.Ordinal);
    private readonly string _done = options.JobDoneUrl.Replace("$RUNPOD_POD_ID", options.WorkerId,
        StringComparison.Ordinal);
    private readonly string _stream = (options.JobStreamUrl ?? options.JobDoneUrl.Replace(Seg(ApiRoutes.JobDone),
        Seg(ApiRoutes.JobStream), StringComparison.Ordinal))
        .Replace("$RUNPOD_POD_ID", options.WorkerId, StringComparison.Ordinal);

    private string? StopUrl => _take.Contains(
        Seg(ApiRoutes.JobTake), StringComparison.Ordinal) ? _take.Replace(Seg(ApiRoutes.JobTake),
        Seg(ApiRoutes.JobStop), StringComparison.Ordinal) : null;

    public bool HasStopChannel => StopUrl is not null;

    /// <summary>Long-polls for up to <paramref name="count"/> jobs; empty when the server had none. Throws <see
    /// cref="ControlPlaneRefusal"/> when it answered a status to retry later.</summary>
    public async Task<IReadOnlyList<JsonElement>> TakeAsync(
        int count, bool inProgress, CancellationToken cancellationToken)
    {
        var url = count > 1
            ? Append(_take.Replace(Seg(ApiRoutes.JobTake), Seg(ApiRoutes.JobTakeBatch), StringComparison.Ordinal),
                $"batch_size={count}&job_in_progress={(inProgress ? 1 : 0)}")
            : Append(_take, $"job_in_progress={(inProgress ? 1 : 0)}");
        using var response = await SendAsync(HttpMethod.Get, url, null, cancellationToken).ConfigureAwait(false);
        ControlPlaneRefusal.ThrowIfRetryable(response, "Taking a job");
        if (response.StatusCode is HttpStatusCode.NoContent or HttpStatusCode.BadRequest
            || !response.IsSuccessStatusCode)
        {
            return [];
        }

        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        if (body.Length == 0)
        {
            return [];
        }

        var root = JsonDocument.Parse(body).RootElement;
        return root.ValueKind == JsonValueKind.Array ? [.. root.EnumerateArray()] : [root];
    }

    /// <summary>Posts a result (or, with status IN_PROGRESS, a progress update); <paramref name="attempt"/> fences it
    /// to the grant this worker holds.</summary>
    public Task<HttpStatusCode> PostDoneAsync(
        string jobId, string json, bool isStream, CancellationToken cancellationToken, int? attempt = null) =>
        PostAsync(Append(_done.Replace("$ID", jobId, StringComparison.Ordinal),
            $"isStream={(isStream ? "true" : "false")}" + (attempt is { } a
                ? "&attempt=" + a.ToString(System.Globalization.CultureInfo.InvariantCulture)
                : string.Empty)), json, cancellationToken);

    /// <summary>
    /// Hearth extension: posts a result and takes up to <paramref name="next"/> more jobs in the same round trip.
    /// A plain Runpod control plane ignores <c>next</c> and answers without jobs.
    /// </summary>
    public async Task<(HttpStatusCode Status, IReadOnlyList<JsonElement> Next)> PostDoneAndTakeAsync(string jobId,
        string json, bool isStream, int? attempt, int next, CancellationToken cancellationToken)
    {
        var url = Append(_done.Replace("$ID", jobId, StringComparison.Ordinal),
            $"isStream={(isStream ? "true" : "false")}" + (attempt is { } a
                ? "&attempt=" + a.ToString(System.Globalization.CultureInfo.InvariantCulture) : string.Empty) +
            "&next=" + next.ToString(System.Globalization.CultureInfo.InvariantCulture));
        using var response = await SendAsync(HttpMethod.Post, url, json, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            return (response.StatusCode, []);
        }

        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        if (body.Length == 0)
        {
            return (response.StatusCode, []);
        }

        using var doc = JsonDocument.Parse(body);
        return doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("next", out var jobs)
            && jobs.ValueKind == JsonValueKind.Array
            ? (response.StatusCode, [.. jobs.EnumerateArray().Select(j => j.Clone())])
            : (response.StatusCode, []);
    }

    /// <summary>
    /// Hearth extension: posts several final results in one request (<c>job-done-batch/{worker}</c>) and takes up to
    /// <paramref name="next"/> more jobs. Each result's <paramref name="results"/> body is a job-done body
    /// (<c>{"output": ...}</c> or <c>{"error": ...}</c>). Returns each result's HTTP-like code in order (empty when the
    /// request as a whole was not answered 200: then nothing was applied, or the control plane has no such route).
    /// </summary>
    public async Task<(
        HttpStatusCode Status, IReadOnlyList<int> Codes, IReadOnlyList<JsonElement> Next)> PostDoneBatchAsync(
        IReadOnlyList<(string JobId, int? Attempt, string Body)> results, int next, CancellationToken cancellationToken)
    {
        var json = new StringBuilder("[");
        foreach (var (jobId, attempt, body) in results)
        {
            json.Append(json.Length > 1 ? ",{\"id\":" : "{\"id\":")
                .Append(JsonSerializer.Serialize(jobId, WorkerJson.Default.String));
            if (attempt is { } a)
            {
                json.Append(",\"attempt\":").Append(a.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }

            json.Append(body.Length > 2 ? "," : string.Empty).Append(body, 1, body.Length - 1);
        }

        var url = Append(WorkerRoute(ApiRoutes.JobDoneBatch), "next="
            + next.ToString(System.Globalization.CultureInfo.InvariantCulture));
        using var response = await SendAsync(HttpMethod.Post, url, json.Append(']').ToString(), cancellationToken)
            .ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            return (response.StatusCode, [], []);
        }

        var answer = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        using var doc = JsonDocument.Parse(answer);
        var root = doc.RootElement;
        IReadOnlyList<int> codes = root.TryGetProperty("results", out var r) && r.ValueKind == JsonValueKind.Array
            ? [.. r.EnumerateArray()
                .Select(e => e.TryGetProperty("code", out var c) && c.TryGetInt32(out var n) ? n : 500)]
            : [];
        IReadOnlyList<JsonElement> jobs = root.TryGetProperty("next", out var j) && j.ValueKind == JsonValueKind.Array
            ? [.. j.EnumerateArray().Select(e => e.Clone())]
            : [];
        return (response.StatusCode, codes, jobs);
    }

    public Task<HttpStatusCode> PostStreamAsync(string jobId, string json, CancellationToken cancellationToken) =>
        PostRetriedAsync(Append(_stream.Replace("$ID", jobId, StringComparison.Ordinal), "isStream=false"), json,
            cancellationToken);

    /// <summary>Hearth extension: hands an unfinished job back so it is re-granted at once, not after its
    /// lease.</summary>
    public Task<HttpStatusCode> ReleaseAsync(string jobId, CancellationToken cancellationToken) =>
        PostAsync(JobRoute(ApiRoutes.JobRelease, jobId), "{}", cancellationToken);

    /// <summary>Hearth extension: the journal of the job's session (step key → result), or null when the control
    /// plane has none.</summary>
    public async Task<Dictionary<string, JsonElement>?> GetStepsAsync(string jobId, CancellationToken cancellationToken)
    {
        var url = JobRoute(ApiRoutes.SessionSteps, jobId);
        using var response = await SendRetriedAsync(HttpMethod.Get, url, null, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.Conflict)
        {
            throw new JobLeaseLostException(
                $"The control plane refused to read job {jobId}'s journal: this worker no longer holds it.");
        }

        if (!response.IsSuccessStatusCode)
        {
            return null;
        }

        using var doc = JsonDocument.Parse(await response.Content.ReadAsByteArrayAsync(cancellationToken)
            .ConfigureAwait(false));
        return doc.RootElement.TryGetProperty("steps", out var steps)
            ? steps.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone(), StringComparer.Ordinal)
            : null;
    }

    /// <summary>Hearth extension: journals one step result; false when the control plane has no journal.</summary>
    public async Task<bool> PutStepAsync(string jobId, string key, string json, CancellationToken cancellationToken)
    {
        var url = Append(JobRoute(ApiRoutes.SessionStep, jobId), "key=" + Uri.EscapeDataString(key));
        using var response = await SendRetriedAsync(HttpMethod.Post, url, json, cancellationToken)
            .ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.Conflict)
        {
            throw new JobLeaseLostException(
                $"Step '{key}' of job {jobId} was refused: this worker no longer holds the job's lease.");
        }

        return response.IsSuccessStatusCode;
    }

    /// <summary>Hearth extension: one value of the job's session state, or null when unset.</summary>
    public async Task<JsonElement?> GetStateAsync(string jobId, string key, CancellationToken cancellationToken)
    {
        using var response = await SendRetriedAsync(HttpMethod.Get, StateUrl(jobId, key), null, cancellationToken)
            .ConfigureAwait(false);
        await EnsureStateAnswerAsync(response, jobId, key, cancellationToken).ConfigureAwait(false);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsByteArrayAsync(cancellationToken)
            .ConfigureAwait(false));
        return doc.RootElement.TryGetProperty("value", out var value) && value.ValueKind != JsonValueKind.Null
            ? value.Clone() : null;
    }

    /// <summary>Hearth extension: sets (<c>null</c> deletes) one value of the job's session state, fenced by the
    /// lease.</summary>
    public async Task PutStateAsync(string jobId, string key, string json, CancellationToken cancellationToken)
    {
        using var response = await SendRetriedAsync(HttpMethod.Post, StateUrl(jobId, key), json, cancellationToken)
            .ConfigureAwait(false);
        await EnsureStateAnswerAsync(response, jobId, key, cancellationToken).ConfigureAwait(false);
    }

    private string StateUrl(string jobId, string key) =>
        Append(JobRoute(ApiRoutes.SessionState, jobId), "key=" + Uri.EscapeDataString(key));

    private static async Task EnsureStateAnswerAsync(
        HttpResponseMessage response, string jobId, string key, CancellationToken cancellationToken)
    {
        if (response.StatusCode == HttpStatusCode.Conflict)
        {
            throw new JobLeaseLostException(
                $"Session state '{key}' of job {jobId} was refused: this worker no longer holds the job's lease.");
        }

        if (!response.IsSuccessStatusCode)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            throw new InvalidOperationException(
                $"Session state '{key}' of job {jobId}: the control plane answered {(int)response.StatusCode} {text}. "
                + "Session state needs a Hearth control plane (a plain Runpod endpoint has none).");
        }
    }

    /// <summary>Hearth extension: reports a batch of spans (<c>job-spans/{worker}</c>).</summary>
    public Task<HttpStatusCode> PostSpansAsync(string json, CancellationToken cancellationToken) =>
        PostAsync(WorkerRoute(ApiRoutes.JobSpans), json, cancellationToken);

    /// <summary>A per-worker route next to job-done (<c>…/v2/{endpoint}/{route}/{worker}</c>), from the done URL
    /// without its job part.</summary>
    private string WorkerRoute(string route)
    {
        var url = _done.Replace(Seg(ApiRoutes.JobDone), Seg(route), StringComparison.Ordinal);
        var cut = url.IndexOf("/$ID", StringComparison.Ordinal);
        return cut >= 0 ? url[..cut] : url;
    }

    /// <summary>The endpoint this worker serves, read from its take URL (<c>…/v2/{endpoint}/job-take/…</c>), when
    /// it has that shape.</summary>
    public string? Endpoint
    {
        get
        {
            var at = _take.IndexOf("/" + ApiRoutes.JobTake, StringComparison.Ordinal);
            var start = at > 0 ? _take.LastIndexOf('/', at - 1) : -1;
            return start >= 0 ? _take[(start + 1)..at] : null;
        }
    }

    /// <summary>Heartbeat; returns (renewal accepted, ids to stop).</summary>
    public async Task<(
        bool Ok,
        IReadOnlyList<StopReceived> Stop)> PingAsync(
        IReadOnlyCollection<string> jobIds, CancellationToken cancellationToken)
    {
        var url = options.PingUrl!.Replace("$RUNPOD_POD_ID", options.WorkerId, StringComparison.Ordinal);
        url = Append(url,
            (jobIds.Count > 0 ? "job_id=" + Uri.EscapeDataString(string.Join(',', jobIds)) + "&" : string.Empty)
                + "runpod_version=hearth");
        using var response = await SendAsync(HttpMethod.Get, url, null, cancellationToken).ConfigureAwait(false);
        return (response.IsSuccessStatusCode, response.IsSuccessStatusCode
            ? await ReadStopsAsync(response, cancellationToken).ConfigureAwait(false) : []);
    }

    /// <summary>Long-polls the stop channel; throws <see cref="ControlPlaneRefusal"/> on a status to retry
    /// later.</summary>
    public async Task<IReadOnlyList<StopReceived>> PollStopsAsync(CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Get, StopUrl!, null, cancellationToken).ConfigureAwait(false);
        ControlPlaneRefusal.ThrowIfRetryable(response, "Polling for stop orders");
        return response.StatusCode == HttpStatusCode.OK ? await ReadStopsAsync(response, cancellationToken)
            .ConfigureAwait(false) : [];
    }

    /// <summary><c>jobsToStop</c>, each with the attempt it stops when the control plane says (Hearth's
    /// <c>attempts</c>).</summary>
    private static async Task<IReadOnlyList<StopReceived>> ReadStopsAsync(
        HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        if (body.Length == 0)
        {
            return [];
        }

        using var doc = JsonDocument.Parse(body);
        var root = doc.RootElement;
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("jobsToStop", out var ids)
            || ids.ValueKind != JsonValueKind.Array)
        {
            return [];
        }

        var attempts = root.TryGetProperty("attempts", out var a) && a.ValueKind == JsonValueKind.Object ? a : default;
        return [.. ids.EnumerateArray().Select(i => i.GetString()!).Select(id => new StopReceived(id,
            attempts.ValueKind == JsonValueKind.Object && attempts.TryGetProperty(id, out var n)
                && n.TryGetInt32(out var attempt) ? attempt : null))];
    }

    private async Task<HttpStatusCode> PostRetriedAsync(string url, string json, CancellationToken cancellationToken)
    {
        using var response = await SendRetriedAsync(HttpMethod.Post, url, json, cancellationToken)
            .ConfigureAwait(false);
        return response.StatusCode;
    }

    /// <summary>
    /// A call a running handler makes (journal, session state, stream chunks): retried through <c>calls</c> on no
    /// answer, a 5xx, 429 or 408, until it gets one or the job's token ends it (the job was stopped or its lease lost),
    /// so one cut connection is a retry, not the job's error.
    /// </summary>
    private async Task<HttpResponseMessage> SendRetriedAsync(
        HttpMethod method, string url, string? json, CancellationToken cancellationToken)
    {
        if (calls is null)
        {
            return await SendAsync(method, url, json, cancellationToken).ConfigureAwait(false);
        }

        return await calls.ExecuteAsync(async token =>
        {
            var response = await SendAsync(method, url, json, token).ConfigureAwait(false);
            if (ControlPlaneRefusal.ResultRetryable(response.StatusCode))
            {
                response.Dispose();
                throw new ControlPlaneRefusal($"{method} {new Uri(url).AbsolutePath}", response.StatusCode, null);
            }

            return response;
        }, cancellationToken).ConfigureAwait(false);
    }

    private async Task<HttpStatusCode> PostAsync(string url, string json, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Post, url, json, cancellationToken).ConfigureAwait(false);
        return response.StatusCode;
    }

    private Task<HttpResponseMessage> SendAsync(
        HttpMethod method, string url, string? json, CancellationToken cancellationToken)
    {
        var request = new HttpRequestMessage(method, url);
        if (options.ApiKey is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", options.ApiKey);
        }

        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        return http.SendAsync(request, cancellationToken);
    }

    private static string Append(string url, string query) =>
        url + (url.Contains('?', StringComparison.Ordinal)
            ? (url.EndsWith('?') || url.EndsWith('&') ? string.Empty : "&") : "?") + query;

    /// <summary>A per-job route next to job-done (<c>…/v2/{endpoint}/{route}/{worker}/{job}</c>).</summary>
    private string JobRoute(string route, string jobId) => _done
        .Replace(Seg(ApiRoutes.JobDone), Seg(route), StringComparison.Ordinal)
        .Replace("$ID", jobId, StringComparison.Ordinal);

    /// <summary>A route name as a path segment (<c>/job-done/</c>).</summary>
    private static string Seg(string route) => "/" + route + "/";
}

/// <summary>A stop order as received: the job, and the attempt it stops when the control plane said (0: the job is
/// gone).</summary>
internal sealed record StopReceived(string JobId, int? Attempt);

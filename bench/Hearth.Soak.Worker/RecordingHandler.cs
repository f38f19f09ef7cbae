using System.Text.Json;
using Hearth.Soak.History;

namespace Hearth.Soak.Worker;

/// <summary>
/// Sits under the worker SDK's HTTP client and writes down what the control plane answered: every job a take handed
/// this worker (with its attempt), every result post and its answer, every journal write and read, and every 5xx. The
/// SDK itself is unchanged; this is what the soak's checker holds the control plane to.
/// </summary>
internal sealed class RecordingHandler(EventLog log) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(
        HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var url = WorkerUrl.Parse(request.RequestUri!);
        var t0 = EventLog.Now;
        var body = url.Route is "job-done" or "job-done-batch" && request.Content is not null
            ? await request.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false)
            : null;
        HttpResponseMessage response;
        try
        {
            response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
        {
            Unanswered(url, body, t0, e.GetType().Name + ": " + e.Message);
            throw;
        }

        var code = (int)response.StatusCode;
        if (code >= 500)
        {
            log.Write(new HistoryEvent { Type = EventTypes.ServerError, T0 = t0, Target = url.Route, Http = code, Job = url.Job });
        }

        string? answer = null;
        if (code == 200 && url.Route is "job-take" or "job-take-batch" or "job-done" or "job-done-batch" or "ping" or "job-stop")
        {
            await response.Content.LoadIntoBufferAsync(cancellationToken).ConfigureAwait(false);
            answer = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        }

        Answered(url, body, answer, code, t0);
        return response;
    }

    private void Answered(WorkerUrl url, string? body, string? answer, int code, long t0)
    {
        switch (url.Route)
        {
            case "job-take" or "job-take-batch":
                Takes(Parse(answer), t0);
                break;
            case "job-done" when body is not null && !IsProgress(body):
                log.Write(Result(url.Job, url.Attempt, body, t0) with { Http = code });
                if (Parse(answer) is { ValueKind: JsonValueKind.Object } done && done.TryGetProperty("next", out var next))
                {
                    Takes(next, t0);
                }

                break;
            case "job-done-batch" when body is not null:
                Batch(body, answer, code, t0);
                break;
            case "session-step":
                log.Write(new HistoryEvent { Type = EventTypes.Journal, T0 = t0, Job = url.Job, Step = url.Query("key"), Http = code });
                break;
            case "ping" or "job-stop":
                Stops(url, Parse(answer), code, t0);
                break;
            case "session-steps":
                log.Write(new HistoryEvent { Type = EventTypes.JournalRead, T0 = t0, Job = url.Job, Http = code });
                break;
            case "job-release":
                log.Write(new HistoryEvent { Type = EventTypes.Release, T0 = t0, Job = url.Job, Http = code });
                break;
        }
    }

    private void Unanswered(WorkerUrl url, string? body, long t0, string error)
    {
        switch (url.Route)
        {
            case "job-done" when body is not null && !IsProgress(body):
                log.Write(Result(url.Job, url.Attempt, body, t0) with { Error = error });
                break;
            case "job-done-batch" when body is not null:
                foreach (var item in Items(body))
                {
                    log.Write(item with { T0 = t0, Error = error });
                }

                break;
            case "session-step":
                log.Write(new HistoryEvent { Type = EventTypes.Journal, T0 = t0, Job = url.Job, Step = url.Query("key"), Error = error });
                break;
            case "session-steps":
                log.Write(new HistoryEvent { Type = EventTypes.JournalRead, T0 = t0, Job = url.Job, Error = error });
                break;
            case "ping":
                log.Write(new HistoryEvent { Type = EventTypes.PingFailed, T0 = t0, Error = error, Detail = url.Query("job_id") });
                break;
        }
    }

    /// <summary>What a ping or a job-stop poll told the worker to stop; a ping without a 2xx is a failed
    /// heartbeat.</summary>
    private void Stops(WorkerUrl url, JsonElement? answer, int code, long t0)
    {
        if (url.Route == "ping" && code is < 200 or >= 300)
        {
            log.Write(new HistoryEvent { Type = EventTypes.PingFailed, T0 = t0, Http = code, Detail = url.Query("job_id") });
            return;
        }

        if (answer is { ValueKind: JsonValueKind.Object } root && root.TryGetProperty("jobsToStop", out var ids)
            && ids.ValueKind == JsonValueKind.Array)
        {
            foreach (var id in ids.EnumerateArray())
            {
                log.Write(new HistoryEvent { Type = EventTypes.StopOrder, T0 = t0, Job = id.GetString(), Target = url.Route });
            }
        }
    }

    private void Batch(string body, string? answer, int code, long t0)
    {
        var items = Items(body);
        var codes = Parse(answer) is { ValueKind: JsonValueKind.Object } root
            && root.TryGetProperty("results", out var r) && r.ValueKind == JsonValueKind.Array
            ? [.. r.EnumerateArray().Select(e => e.TryGetProperty("code", out var c) && c.TryGetInt32(out var n) ? n : 0)]
            : new List<int>();
        for (var i = 0; i < items.Count; i++)
        {
            // A batch not answered 200 applied nothing; each result's own code is in the answer otherwise.
            log.Write(items[i] with { T0 = t0, Http = code == 200 && i < codes.Count ? codes[i] : code });
        }

        if (Parse(answer) is { ValueKind: JsonValueKind.Object } done && done.TryGetProperty("next", out var next))
        {
            Takes(next, t0);
        }
    }

    private static List<HistoryEvent> Items(string body)
    {
        var items = new List<HistoryEvent>();
        if (Parse(body) is not { ValueKind: JsonValueKind.Array } array)
        {
            return items;
        }

        foreach (var item in array.EnumerateArray())
        {
            var id = item.TryGetProperty("id", out var i) ? i.GetString() : null;
            int? attempt = item.TryGetProperty("attempt", out var a) && a.TryGetInt32(out var n) ? n : null;
            items.Add(Result(id, attempt, item.GetRawText(), 0));
        }

        return items;
    }

    private void Takes(JsonElement? taken, long t0)
    {
        if (taken is not { } jobs)
        {
            return;
        }

        foreach (var job in jobs.ValueKind == JsonValueKind.Array ? [.. jobs.EnumerateArray()] : new[] { jobs })
        {
            if (job.ValueKind == JsonValueKind.Object && job.TryGetProperty("id", out var id))
            {
                int? attempt = job.TryGetProperty("attempt", out var a) && a.TryGetInt32(out var n) ? n : null;
                log.Write(new HistoryEvent { Type = EventTypes.Take, T0 = t0, Job = id.GetString(), Attempt = attempt });
            }
        }
    }

    private static HistoryEvent Result(string? job, int? attempt, string body, long t0) => new()
    {
        Type = EventTypes.Result,
        T0 = t0,
        Job = job,
        Attempt = attempt,
        Nonce = NonceOf(body),
        Status = body.Contains("\"error\"", StringComparison.Ordinal) ? "FAILED" : "COMPLETED",
    };

    private static string? NonceOf(string text)
    {
        var at = text.IndexOf("nonce-", StringComparison.Ordinal);
        return at >= 0 && at + 18 <= text.Length ? text.Substring(at, 18) : null;
    }

    private static bool IsProgress(string body) => body.Contains("\"status\":\"IN_PROGRESS\"", StringComparison.Ordinal);

    private static JsonElement? Parse(string? json)
    {
        if (string.IsNullOrEmpty(json))
        {
            return null;
        }

        try
        {
            using var doc = JsonDocument.Parse(json);
            return doc.RootElement.Clone();
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Hearth.Worker.Tracing;

namespace Hearth.Worker;

public sealed partial class HearthWorker
{
    private sealed class RunningJob(string id, int? attempt, CancellationTokenSource cancel, long leaseRenewedAt)
    {
        public string Id { get; } = id;

        /// <summary>The grant this run holds (the control plane's fencing token); null from a plain Runpod.</summary>
        public int? Attempt { get; } = attempt;

        public CancellationTokenSource Cancel { get; } = cancel;

        public long LeaseRenewedAt { get; set; } = leaseRenewedAt;

        public Task Execution { get; set; } = Task.CompletedTask;

        /// <summary>Why it was cancelled, when it was: decides whether anything is posted.</summary>
        public string? StopReason { get; set; }
    }

    private void Start(JsonElement job)
    {
        var id = job.TryGetProperty("id", out var idElement) ? idElement.GetString() : null;
        if (string.IsNullOrEmpty(id))
        {
            LogBadJob(_logger);
            _slots.Release();
            return;
        }

        var attempt = JobContext.AttemptOf(job);
        var running = new RunningJob(id, attempt, new CancellationTokenSource(), _time.GetTimestamp());
        while (!_running.TryAdd(id, running))
        {
            if (!_running.TryGetValue(id, out var current))
            {
                continue; // it ended meanwhile
            }

            if (attempt is not { } newer || current.Attempt is not { } older || newer <= older)
            {
                // The same grant again: keep the run we have.
                _slots.Release();
                return;
            }

            // Granted again under a newer attempt: this worker lost the older one's lease (it was paused or cut off),
            // so that run is stopped and the new grant runs; the older one's slot comes back when it ends.
            Stop(current, $"granted again as attempt {newer}: attempt {older}'s lease was lost");
            if (_running.TryUpdate(id, running, current))
            {
                break;
            }
        }

        running.Execution = ExecuteAsync(job.Clone(), running);
    }

    private async Task ExecuteAsync(JsonElement job, RunningJob running)
    {
        await Task.Yield();
        var ct = running.Cancel.Token;
        string body;
        var started = Stopwatch.GetTimestamp();
        using var execute = WorkerSpans.StartExecute(job, running.Id, WorkerId, _protocol.Endpoint);
        try
        {
            var context = new JobContext(running.Id, job, WorkerId,
                (progress, token) => PostProgressAsync(running.Id, progress, token), _calls,
                new JobJournal(_protocol, running.Id, _options.MaxSteps, leaseHeld: () => LeaseHeld(running)),
                _protocol);
            var output = await _handler.RunAsync(context, (chunk, token) => PostChunkAsync(running.Id, chunk, token),
                ct).ConfigureAwait(false);
            body = "{\"output\":" + output.GetRawText() + "}";
            execute?.SetStatus(ActivityStatusCode.Ok);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            execute?.SetStatus(ActivityStatusCode.Error, running.StopReason ?? "cancelled");
            LogJobStopped(_logger, running.Id, running.StopReason ?? "cancelled");
            Finish(running);
            return;
        }
        catch (Exception e)
        {
            body = JsonSerializer.Serialize(new Dictionary<string, string> { ["error"] = ErrorText(e) },
                WorkerJson.Readable.DictionaryStringString);
            execute?.SetStatus(ActivityStatusCode.Error, e.Message);
        }

        // The attempt ends here; posting the result is the control plane's job span's business. Its spans not yet
        // reported go with the result (a Hearth control plane stores them with the job).
        execute?.Stop();
        if (!_spansUnsupported && _spans.TakeJob(running.Id) is { Count: > 0 } spans)
        {
            body = body[..^1] + ",\"spans\":" + SpanReporter.ToJson(spans) + "}";
        }

        JsonElement? next = null;
        try
        {
            next = await DeliverResultAsync(running.Id, JobContext.AttemptOf(job), body).ConfigureAwait(false);
        }
        finally
        {
            // A job taken with the result keeps this job's slot.
            Finish(running, releaseSlot: next is null);
        }

        if (next is { } taken)
        {
            await StartOrHandBackAsync(taken).ConfigureAwait(false);
        }
    }

    /// <summary>Starts a job taken with a result, or hands it back when the worker stopped taking meanwhile
    /// (drain).</summary>
    private async Task StartOrHandBackAsync(JsonElement job)
    {
        if (Volatile.Read(ref _taking))
        {
            Start(job);
            return;
        }

        _slots.Release();
        if (job.TryGetProperty("id", out var id) && id.GetString() is { } jobId)
        {
            try
            {
                await _protocol.ReleaseAsync(jobId, CancellationToken.None).ConfigureAwait(false);
            }
            catch (HttpRequestException)
            {
                // The lease expiry hands it back instead.
            }
        }
    }

    /// <summary>
    /// Posts a result. A post that fails (no answer, a 5xx, 429 or 408) is retried with backoff for as
    /// long as this worker still holds the job: its heartbeats list the job and renew its lease meanwhile, so a result
    /// rides through a control-plane restart or a store outage shorter than the lease instead of the job running
    /// again. A result still undelivered once the lease ran out unrenewed is left to the control plane, which grants
    /// the job again: at-least-once, never lost.
    /// </summary>
    /// <remarks><paramref name="firstTry"/> is 2 when the result sender already made the first try.</remarks>
    /// <returns>The next job when the first post also took one (the worker is still taking), else empty.</returns>
    private async Task<IReadOnlyList<JsonElement>> PostResultAsync(
        string jobId, int? attempt, string body, int firstTry = 1)
    {
        var started = Stopwatch.GetTimestamp();
        if (firstTry == 1)
        {
            // The first post takes the next job in the same round trip; a retry only delivers the result.
            var (status, next, _) = await PostResultOnceAsync(jobId, attempt, body, chain: Volatile.Read(ref _taking))
                .ConfigureAwait(false);
            if (status is { } answered && !ControlPlaneRefusal.ResultRetryable(answered))
            {
                LogJobDone(_logger, jobId, (int)answered, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                return next;
            }
        }

        var what = $"Posting the result of job {jobId}";
        var failedAt = _time.GetTimestamp();
        var retry = ControlPlaneRetry.Build(_time, _logger, what, TimeSpan.FromMilliseconds(200),
            TimeSpan.FromSeconds(5), keepTrying: () => StillHeld(jobId, failedAt));
        try
        {
            return await retry.ExecuteAsync(async _ =>
            {
                var (status, _, failure) = await PostResultOnceAsync(jobId, attempt, body, chain: false)
                    .ConfigureAwait(false);
                if (status is not { } answered)
                {
                    throw new HttpRequestException(failure);
                }

                if (ControlPlaneRefusal.ResultRetryable(answered))
                {
                    throw new ControlPlaneRefusal(what, answered, null);
                }

                LogJobDone(_logger, jobId, (int)answered, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                return (IReadOnlyList<JsonElement>)[];
            }, CancellationToken.None).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            LogResultLost(_logger, jobId, e.Message);
            return [];
        }
    }

    /// <summary>Whether <paramref name="running"/>'s lease was renewed less than a lease ago (always, without
    /// heartbeats): a worker that was paused or cut off for longer must not start anything more of it.</summary>
    private bool LeaseHeld(RunningJob running) =>
        _options.PingUrl is null || _time.GetElapsedTime(running.LeaseRenewedAt) < _options.Lease;

    /// <summary>
    /// Whether this worker may still hold <paramref name="jobId"/>'s lease: its last renewal (or, without heartbeats,
    /// the first failed post) is less than a lease ago.
    /// </summary>
    private bool StillHeld(string jobId, long failedAt)
    {
        var since = _options.PingUrl is not null && _running.TryGetValue(jobId, out var running)
            ? running.LeaseRenewedAt
            : failedAt;
        return _time.GetElapsedTime(since) < _options.Lease;
    }

    /// <summary>
    /// One post of a result, taking the next job with it when <paramref name="chain"/>: the answer's status and jobs,
    /// or
    /// (status null) why the control plane could not be reached or its answer read.
    /// </summary>
    private async Task<(HttpStatusCode? Status, IReadOnlyList<JsonElement> Next, string? Failure)> PostResultOnceAsync(
        string jobId, int? attempt, string body, bool chain)
    {
        try
        {
            var (status, next) = chain
                ? await _protocol.PostDoneAndTakeAsync(jobId, body, _handler.IsStreaming, attempt, 1,
                    CancellationToken.None).ConfigureAwait(false)
                : (await _protocol.PostDoneAsync(jobId, body, _handler.IsStreaming, CancellationToken.None, attempt)
                    .ConfigureAwait(false), []);
            return (status, next, null);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException)
        {
            return (null, [], e.Message);
        }
    }

    private void Finish(RunningJob running, bool releaseSlot = true)
    {
        // Only this run: a newer grant of the same job may have taken its place.
        _running.TryRemove(new KeyValuePair<string, RunningJob>(running.Id, running));
        running.Cancel.Dispose();
        if (releaseSlot)
        {
            _slots.Release();
        }
    }

    private string ErrorText(Exception e) => JsonSerializer.Serialize(new Dictionary<string, string>
    {
        ["error_type"] = e.GetType().FullName ?? e.GetType().Name,
        ["error_message"] = e.Message,
        ["error_traceback"] = e.ToString(),
        ["hostname"] = Environment.MachineName,
        ["worker_id"] = WorkerId,
    }, WorkerJson.Readable.DictionaryStringString);

    private async Task PostChunkAsync(string jobId, JsonElement chunk, CancellationToken cancellationToken)
    {
        var status = await _protocol.PostStreamAsync(jobId, "{\"output\":" + chunk.GetRawText() + "}",
            cancellationToken).ConfigureAwait(false);
        if ((int)status == 409 && _running.TryGetValue(jobId, out var running))
        {
            Stop(running, "the control plane refused the chunk: this worker no longer holds the job");
        }
    }

    private Task PostProgressAsync(string jobId, JsonElement progress, CancellationToken cancellationToken) =>
        _protocol.PostDoneAsync(jobId, "{\"status\":\"IN_PROGRESS\",\"output\":" + progress.GetRawText() + "}", false,
            cancellationToken);

    private void Stop(RunningJob running, string reason)
    {
        running.StopReason ??= reason;
        try
        {
            running.Cancel.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Finished meanwhile.
        }
    }

    /// <summary>Drain: stop taking (already), let jobs finish within the window, then cancel and hand back the
    /// rest.</summary>
    private async Task DrainAsync()
    {
        var inFlight = _running.Values.ToArray();
        if (inFlight.Length == 0)
        {
            return;
        }

        LogDraining(_logger, inFlight.Length, _options.DrainWindow.TotalSeconds);
        using var window = new CancellationTokenSource(_options.DrainWindow, _time);
        try
        {
            await Task.WhenAll(inFlight.Select(j => j.Execution)).WaitAsync(window.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (window.IsCancellationRequested)
        {
            foreach (var job in _running.Values.ToArray())
            {
                Stop(job, "drain window ran out");
                try
                {
                    await _protocol.ReleaseAsync(job.Id, CancellationToken.None).ConfigureAwait(false);
                }
                catch (HttpRequestException)
                {
                    // The lease expiry hands it back instead.
                }
            }

            // Observe the jobs without letting one of them end the drain early.
            await Task.WhenAll(inFlight.Select(j => j.Execution)).ContinueWith(_ => { }, TaskScheduler.Default)
                .ConfigureAwait(false);
        }
    }
}

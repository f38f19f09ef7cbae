using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;

namespace Hearth.Worker;

public sealed partial class HearthWorker
{
    /// <summary>Results larger than this always go alone through <c>job-done</c> (a batch stays well under the control
    /// plane's body limit).</summary>
    private const int MaxBatchedResultChars = 64 * 1024;

    /// <summary>Most results in one <c>job-done-batch</c> (the control plane's default take-batch cap).</summary>
    private const int MaxResultsPerBatch = 64;

    private readonly ConcurrentQueue<PendingResult> _results = new();

    // 1 while a sender loop runs; results that finish meanwhile queue up and go together in its next request.
    private int _sending;

    // Cleared when the control plane has no job-done-batch (a plain Runpod endpoint): every result then goes alone.
    private volatile bool _batchResults = true;

    private sealed record PendingResult(string JobId, int? Attempt, string Body)
    {
        /// <summary>The job taken in this result's slot, or null (the slot is then released).</summary>
        public TaskCompletionSource<JsonElement?> NextJob { get; } = new(
            TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>
    /// Delivers a final result and returns the job taken for its slot, if any. A result that finds no post in flight is
    /// sent at once, alone, as <c>job-done?next=1</c> — one job at a time costs what it did. Results that finish
    /// while a post is in flight wait for it and then go together in one <c>job-done-batch</c> (Hearth extension),
    /// which also takes a job for each of their slots: under load a worker sends one request per batch, not one per
    /// job.
    /// </summary>
    private Task<JsonElement?> DeliverResultAsync(string jobId, int? attempt, string body)
    {
        if (!_batchResults || _handler.IsStreaming || body.Length > MaxBatchedResultChars)
        {
            return PostAloneAsync(jobId, attempt, body);
        }

        var pending = new PendingResult(jobId, attempt, body);
        _results.Enqueue(pending);
        if (Interlocked.CompareExchange(ref _sending, 1, 0) == 0)
        {
            _ = SendResultsAsync();
        }

        return pending.NextJob.Task;
    }

    private async Task<JsonElement?> PostAloneAsync(string jobId, int? attempt, string body) =>
        await PostResultAsync(jobId, attempt, body).ConfigureAwait(false) is { Count: > 0 } next ? next[0] : null;

    /// <summary>The sender loop: drains the queue one request at a time until it finds it empty.</summary>
    private async Task SendResultsAsync()
    {
        while (true)
        {
            var batch = new List<PendingResult>();
            while (batch.Count < MaxResultsPerBatch && _results.TryDequeue(out var pending))
            {
                batch.Add(pending);
            }

            if (batch.Count == 0)
            {
                Volatile.Write(ref _sending, 0);
                // A result queued after the last dequeue but before the flag cleared would otherwise wait forever.
                if (_results.IsEmpty || Interlocked.CompareExchange(ref _sending, 1, 0) != 0)
                {
                    return;
                }

                continue;
            }

            try
            {
                await SendBatchAsync(batch).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                // Transport errors are handled inside; anything else must not strand the jobs waiting on this batch.
                foreach (var pending in batch)
                {
                    pending.NextJob.TrySetException(e);
                }
            }
        }
    }

    /// <summary>
    /// One request for the batch — the sender waits for it, not for retries: results that fail it are retried one by
    /// one
    /// off the loop (job-done's 3 tries), so a failing post does not hold up the results queued behind it.
    /// </summary>
    private async Task SendBatchAsync(List<PendingResult> batch)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var taking = Volatile.Read(ref _taking);
        if (batch.Count == 1 || !_batchResults)
        {
            foreach (var pending in batch)
            {
                await SendOneAsync(pending, taking, started).ConfigureAwait(false);
            }

            return;
        }

        HttpStatusCode status;
        IReadOnlyList<int> codes;
        IReadOnlyList<JsonElement> next;
        try
        {
            (status, codes, next) = await _protocol.PostDoneBatchAsync(
                [.. batch.Select(p => (p.JobId, p.Attempt, p.Body))], taking ? batch.Count : 0, CancellationToken.None)
                .ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException)
        {
            (status, codes, next) = (HttpStatusCode.ServiceUnavailable, [], []);
        }

        if (status == HttpStatusCode.OK && codes.Count == batch.Count)
        {
            var elapsed = System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            for (var i = 0; i < batch.Count; i++)
            {
                LogJobDone(_logger, batch[i].JobId, codes[i], elapsed);
                batch[i].NextJob.TrySetResult(i < next.Count ? next[i] : null);
            }

            return;
        }

        if (status is HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed or HttpStatusCode.BadRequest)
        {
            // No such route here (a plain Runpod endpoint), or a cap lower than ours: results go alone from now on.
            _batchResults = false;
            LogBatchResultsOff(_logger, (int)status);
            foreach (var pending in batch)
            {
                _ = RetryAloneAsync(pending, firstTry: 1);
            }

            return;
        }

        // Nothing of the batch was applied (a 5xx or no answer): each result is retried alone.
        foreach (var pending in batch)
        {
            _ = RetryAloneAsync(pending, firstTry: 2);
        }
    }

    /// <summary>The first try of a lone result (<c>job-done?next=1</c> while taking); a failure is retried off the
    /// loop.</summary>
    private async Task SendOneAsync(PendingResult pending, bool taking, long started)
    {
        var (status, next, _) = await PostResultOnceAsync(pending.JobId, pending.Attempt, pending.Body, taking)
            .ConfigureAwait(false);
        if (status is { } answered && (int)answered < 500)
        {
            LogJobDone(_logger, pending.JobId, (int)answered,
                System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            pending.NextJob.TrySetResult(next.Count > 0 ? next[0] : null);
            return;
        }

        _ = RetryAloneAsync(pending, firstTry: 2);
    }

    private async Task RetryAloneAsync(PendingResult pending, int firstTry)
    {
        try
        {
            if (firstTry > 1)
            {
                await DelayAsync(TimeSpan.FromMilliseconds(200), CancellationToken.None).ConfigureAwait(false);
            }

            var next = await PostResultAsync(pending.JobId, pending.Attempt, pending.Body, firstTry)
                .ConfigureAwait(false);
            pending.NextJob.TrySetResult(next.Count > 0 ? next[0] : null);
        }
        catch (Exception e)
        {
            pending.NextJob.TrySetException(e);
        }
    }
}

using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Hearth.Core.Jobs;
using Hearth.Core.Tracing;
using Hearth.Worker.Tracing;

namespace Hearth.Worker;

/// <summary>
/// <c>ctx.CallAsync(endpoint, input, timeout)</c>: a handler submits a job to another endpoint and awaits it (fan-out
/// with <c>Task.WhenAll</c>). Each call has its own timeout; when it runs out the sub-job is cancelled and the call
/// fails with <see cref="CallFailedException"/> — a stuck tool fails its call, not the caller.
/// </summary>
internal sealed class JobCalls(HttpClient http, WorkerOptions options, TimeProvider time)
{
    private static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(90);

    /// <summary>
    /// Submits <paramref name="input"/> to <paramref name="endpoint"/> as a sub-job of <paramref name="parentJobId"/>
    /// and waits
    /// for it. With no <paramref name="timeout"/> the callee's own execution timeout bounds the call (the control plane
    /// times the sub-job out), together with the caller's cancellation.
    /// </summary>
    public async Task<TOut> CallAsync<TIn, TOut>(
        string endpoint, TIn input, TimeSpan? timeout, string? parentJobId, JsonTypeInfo<TIn> inputType,
        JsonTypeInfo<TOut> outputType, CancellationToken cancellationToken)
    {
        if (options.CallBaseUrl is null || options.CallKey is null)
        {
            throw new InvalidOperationException(
                "This worker cannot call other endpoints: HEARTH_API_URL and HEARTH_CALL_KEY are not set. hearth dev "
                + "sets them for an endpoint that declares what it calls (calls: [callee] in hearth.yaml, "
                + ".Calls(\"callee\") in C#); elsewhere give the worker a client key limited to its callees.");
        }

        if (timeout is { } t && t <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(timeout), t,
                "A call timeout must be positive; leave it out to use the callee's execution timeout.");
        }

        using var span = WorkerSpans.StartCall(endpoint);
        return await WorkerSpans.TrackAsync(span, RunCallAsync(span, endpoint, input, timeout,
            parentJobId, inputType, outputType, cancellationToken)).ConfigureAwait(false);
    }

    private async Task<TOut> RunCallAsync<TIn, TOut>(
        System.Diagnostics.Activity? span, string endpoint, TIn input, TimeSpan? timeout, string? parentJobId,
            JsonTypeInfo<TIn> inputType, JsonTypeInfo<TOut> outputType, CancellationToken cancellationToken)
    {
        var body = "{\"input\":" + JsonSerializer.Serialize(input, inputType) + (parentJobId is null ? string.Empty
            : ",\"parent_job_id\":" + JsonSerializer.Serialize(parentJobId, WorkerJson.Default.String)) + "}";

        // The sub-job's job span becomes a child of this call span: one trace across endpoints and processes.
        var traceParent = span is null ? null : HearthTelemetry.TraceParent(
            span.TraceId.ToHexString(), span.SpanId.ToHexString());
        using var run = await SendAsync(HttpMethod.Post, $"{endpoint}/run", body, cancellationToken, traceParent)
            .ConfigureAwait(false);
        var id = JsonDocument.Parse(await run.Content.ReadAsStringAsync(cancellationToken)
            .ConfigureAwait(false)).RootElement.GetProperty("id").GetString()!;
        span?.SetTag(HearthTelemetry.Attributes.CalleeJobId, id);
        var started = time.GetTimestamp();
        try
        {
            while (true)
            {
                var left = timeout is { } limit ? limit - time.GetElapsedTime(started) : MaxWait;
                if (left <= TimeSpan.Zero)
                {
                    await CancelQuietlyAsync(endpoint, id).ConfigureAwait(false);
                    throw new CallFailedException(endpoint, id, JobStatus.TimedOut,
                        $"call {endpoint} timed out after {timeout!.Value.TotalSeconds:0.#} s (job {id})");
                }

                var wait = (
                    int)Math.Clamp(Math.Min(left.TotalMilliseconds, MaxWait.TotalMilliseconds), 1000,
                    MaxWait.TotalMilliseconds);
                using var status = await SendAsync(HttpMethod.Get, $"{endpoint}/status-sync/{id}?wait={wait}", null,
                    cancellationToken).ConfigureAwait(false);
                using var doc = JsonDocument.Parse(
                    await status.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false));
                var state = doc.RootElement.GetProperty("status").GetString();
                if (state == JobStatus.Completed)
                {
                    return doc.RootElement.TryGetProperty("output", out var output) ? output.Deserialize(outputType)!
                        : default!;
                }

                if (state is JobStatus.Failed or JobStatus.Cancelled or JobStatus.TimedOut)
                {
                    var error = doc.RootElement.TryGetProperty("error", out var e) ? e.ToString() : state;
                    throw new CallFailedException(endpoint, id, state,
                        $"call {endpoint} ended {state} (job {id}): {error}");
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The caller was stopped: its sub-job must not run on for nobody.
            await CancelQuietlyAsync(endpoint, id).ConfigureAwait(false);
            throw;
        }
    }

    private async Task CancelQuietlyAsync(string endpoint, string id)
    {
        try
        {
            using var _ = await SendAsync(HttpMethod.Post, $"{endpoint}/cancel/{id}", null, CancellationToken.None)
                .ConfigureAwait(false);
        }
        catch (HttpRequestException)
        {
            // Best effort: the sub-job's own execution timeout still bounds it.
        }
    }

    private async Task<HttpResponseMessage> SendAsync(
        HttpMethod method, string relative, string? body, CancellationToken cancellationToken,
        string? traceParent = null)
    {
        using var request = new HttpRequestMessage(method, options.CallBaseUrl!.TrimEnd('/') + "/" + relative);
        if (traceParent is not null)
        {
            // Set explicitly: HttpClient's own propagation would name its HTTP span, which the span store never sees.
            request.Headers.TryAddWithoutValidation("traceparent", traceParent);
        }

        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", options.CallKey);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            response.Dispose();
            throw new HttpRequestException($"{method} {relative} answered {(int)response.StatusCode}: {text}");
        }

        return response;
    }
}

/// <summary>A call to another endpoint did not complete: it failed, was cancelled, or ran past its timeout.</summary>
public sealed class CallFailedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public CallFailedException(string endpoint, string jobId, string status, string message)
        : base(message)
    {
        Endpoint = endpoint;
        JobId = jobId;
        Status = status;
    }

    /// <summary>Creates the exception.</summary>
    public CallFailedException()
    {
        Endpoint = JobId = Status = string.Empty;
    }

    /// <summary>Creates the exception.</summary>
    public CallFailedException(string message)
        : base(message)
    {
        Endpoint = JobId = Status = string.Empty;
    }

    /// <summary>Creates the exception.</summary>
    public CallFailedException(string message, Exception innerException)
        : base(message, innerException)
    {
        Endpoint = JobId = Status = string.Empty;
    }

    /// <summary>The called endpoint.</summary>
    public string Endpoint { get; }

    /// <summary>The sub-job's id.</summary>
    public string JobId { get; }

    /// <summary>Its final status (TIMED_OUT when the call's own timeout ran out).</summary>
    public string Status { get; }
}

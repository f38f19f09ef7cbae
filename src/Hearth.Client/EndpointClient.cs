using System.Globalization;
using Hearth.Client.Wire;
using Hearth.Core.Jobs;
using Hearth.Core.Wire;

namespace Hearth.Client;

/// <summary>The client API of one endpoint: submit jobs, read their status, output and stream, cancel, retry, purge,
/// health.</summary>
public sealed partial class EndpointClient
{
    /// <summary>Server-side wait asked of each <c>/status-sync</c> poll when the caller gave none: the server's own
    /// default, 90 s.</summary>
    public static readonly TimeSpan DefaultPollWait = TimeSpan.FromMilliseconds(JobLimits.DefaultRunSyncWaitMs);

    private readonly ApiTransport _transport;
    private readonly string _path;

    internal EndpointClient(ApiTransport transport, string name)
    {
        _transport = transport;
        Name = name;
        _path = Uri.EscapeDataString(name) + "/";
    }

    /// <summary>The endpoint's name (Hearth) or id (Runpod).</summary>
    public string Name { get; }

    /// <summary>Queues a job (<c>POST /run</c>) and returns at once.</summary>
    /// <typeparam name="TIn">The input type; serialized with the client's JSON options.</typeparam>
    /// <param name="input">The handler's <c>job["input"]</c>.</param>
    /// <param name="options">Webhook, policy and s3Config; null for the defaults.</param>
    /// <param name="cancellationToken">Cancels the HTTP call (not the job).</param>
    /// <returns>The new job's id and status (IN_QUEUE).</returns>
    public async Task<JobHandle> RunAsync<TIn>(
        TIn input, RunOptions? options = null, CancellationToken cancellationToken = default)
    {
        var body = ApiTransport.Json(WireMapping.Request(input, options, _transport.Options),
            ClientJsonContext.Default.RunRequestWire);
        var wire = await _transport.PostAsync(_path + ApiRoutes.Run, body,
            ClientJsonContext.Default.StatusWire, cancellationToken).ConfigureAwait(false);
        return WireMapping.Handle(wire);
    }

    /// <summary>
    /// Queues many jobs in one request (<c>POST /runbatch</c>, a Hearth extension; at most 1,000): each input is
    /// validated like <c>/run</c> and the accepted ones are stored with one durable wait. An invalid item refuses only
    /// itself.
    /// </summary>
    /// <typeparam name="TIn">The input type.</typeparam>
    /// <param name="inputs">One handler input per job.</param>
    /// <param name="options">Webhook, policy and s3Config for every job; null for the defaults.</param>
    /// <param name="cancellationToken">Cancels the HTTP call.</param>
    /// <returns>Each item's outcome, in the order of <paramref name="inputs"/>.</returns>
    public async Task<IReadOnlyList<BatchItemResult>> RunBatchAsync<TIn>(
        IReadOnlyList<TIn> inputs, RunOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var body = ApiTransport.Json(
            new BatchRequestWire([.. inputs.Select(i => WireMapping.Request(i, options, _transport.Options))]),
            ClientJsonContext.Default.BatchRequestWire);
        var wire = await _transport.PostAsync(_path + ApiRoutes.RunBatch, body,
            ClientJsonContext.Default.BatchResponseWire, cancellationToken).ConfigureAwait(false);
        return [.. wire.Jobs.Select(j => j.Error is null
            ? new BatchItemResult(new JobHandle(j.Id ?? string.Empty, j.Status ?? string.Empty), j.Replayed == true,
                null, null)
            : new BatchItemResult(null, false, j.Error, j.Hint))];
    }

    /// <summary>
    /// Runs a job and waits for its end: <c>POST /runsync?wait=</c>, then <c>GET /status-sync/{id}?wait=</c> until the
    /// job is final.
    /// Only <paramref name="cancellationToken"/> stops the wait; cancelling it does not cancel the job (use <see
    /// cref="CancelAsync"/>).
    /// </summary>
    /// <typeparam name="TIn">The input type.</typeparam>
    /// <typeparam name="TOut">The output type.</typeparam>
    /// <param name="input">The handler's <c>job["input"]</c>.</param>
    /// <param name="options">Webhook, policy and s3Config; null for the defaults.</param>
    /// <param name="wait">Server-side wait per call, clamped to 1–300 s. Default: null, the server's 90 s.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>The final result; check <see cref="JobResult{TOut}.IsCompleted"/> and <see
    /// cref="JobResult{TOut}.Error"/>.</returns>
    public async Task<JobResult<TOut>> RunSyncAsync<TIn, TOut>(
        TIn input, RunOptions? options = null, TimeSpan? wait = null, CancellationToken cancellationToken = default)
    {
        var body = ApiTransport.Json(WireMapping.Request(input, options, _transport.Options),
            ClientJsonContext.Default.RunRequestWire);
        var query = wait is { } w ? "?wait=" + WaitMs(w) : string.Empty;
        var wire = await _transport.PostAsync(_path + ApiRoutes.RunSync + query, body,
            ClientJsonContext.Default.StatusWire, cancellationToken).ConfigureAwait(false);
        if (JobStatus.IsFinal(wire.Status))
        {
            return WireMapping.Result<TOut>(wire, _transport.Options);
        }

        return await PollAsync<TOut>(wire.Id ?? string.Empty, null, wait ?? DefaultPollWait, cancellationToken)
            .ConfigureAwait(false);
    }

    /// <summary>Reads a job's status once (<c>GET /status/{id}</c>).</summary>
    /// <typeparam name="TOut">The output type.</typeparam>
    /// <param name="id">The job id.</param>
    /// <param name="cancellationToken">Cancels the HTTP call.</param>
    /// <returns>The job's current status, with its output once COMPLETED.</returns>
    public async Task<JobResult<TOut>> StatusAsync<TOut>(string id, CancellationToken cancellationToken = default)
    {
        var wire = await _transport.GetAsync(_path + ApiRoutes.Status + "/" + Uri.EscapeDataString(id),
            ClientJsonContext.Default.StatusWire, cancellationToken).ConfigureAwait(false);
        return WireMapping.Result<TOut>(wire, _transport.Options);
    }

    /// <summary>Waits for a job to end by long-polling <c>GET /status-sync/{id}?wait=</c>.</summary>
    /// <typeparam name="TOut">The output type.</typeparam>
    /// <param name="id">The job id.</param>
    /// <param name="timeout">How long to wait. Default: null, until the job ends or <paramref
    /// name="cancellationToken"/> fires.
    /// When it elapses the last status seen is returned (not final: check <see cref="JobResult{TOut}.IsFinal"/>).
    /// Polls wait at least 1 s.</param>
    /// <param name="cancellationToken">Stops waiting (throws); does not cancel the job.</param>
    /// <returns>The final result, or the last one seen when <paramref name="timeout"/> elapsed first.</returns>
    public Task<JobResult<TOut>> WaitAsync<TOut>(
        string id, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        return PollAsync<TOut>(id, timeout, DefaultPollWait, cancellationToken);
    }

    private async Task<JobResult<TOut>> PollAsync<TOut>(
        string id, TimeSpan? timeout, TimeSpan pollWait, CancellationToken cancellationToken)
    {
        var started = _transport.Time.GetTimestamp();
        var path = _path + ApiRoutes.StatusSync + "/" + Uri.EscapeDataString(id) + "?wait=";
        while (true)
        {
            var ask = pollWait;
            if (timeout is { } t)
            {
                var left = t - _transport.Time.GetElapsedTime(started);
                ask = left < ask ? left : ask;
            }

            var wire = await _transport.GetAsync(path + WaitMs(ask),
                ClientJsonContext.Default.StatusWire, cancellationToken).ConfigureAwait(false);
            if (JobStatus.IsFinal(wire.Status)
                || (timeout is { } limit && _transport.Time.GetElapsedTime(started) >= limit))
            {
                return WireMapping.Result<TOut>(wire, _transport.Options);
            }
        }
    }

    /// <summary>A wait in the whole milliseconds the server accepts (1000–300000).</summary>
    private static string WaitMs(TimeSpan wait) =>
        Math.Clamp((long)Math.Ceiling(wait.TotalMilliseconds), JobLimits.MinWaitMs, JobLimits.MaxWaitMs)
            .ToString(CultureInfo.InvariantCulture);
}

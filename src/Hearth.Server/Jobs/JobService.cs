using Hearth.Core.Jobs;
using Hearth.Server.Hosting;
using Hearth.Server.Observability;
using Hearth.Store;
using Hearth.Store.Jobs;
using Microsoft.Extensions.Options;

namespace Hearth.Server.Jobs;

/// <summary>
/// The job lifecycle. Every change of a job's state goes through here — submit, take, release, result, cancel, retry,
/// purge and the sweep's deadlines — with its wake-ups and traces, and every final state runs the same side effects
/// (<see cref="Finished"/>). Routes parse the request and write the answer; this decides and applies. Plain reads
/// (a status, a list) go to the <see cref="IHearthStore"/> directly.
/// </summary>
public sealed partial class JobService
{
    private static readonly TimeSpan RecheckInterval = TimeSpan.FromSeconds(1);
    private readonly Dictionary<string, EndpointOptions> _endpoints;
    private readonly IHearthStore _store;
    private readonly JobSignals _signals;
    private readonly TimeProvider _time;
    private readonly HearthServerOptions _options;
    private readonly JobTracing? _tracing;

    /// <summary>Creates the service.</summary>
    public JobService(
        IHearthStore store, JobSignals signals, TimeProvider time, IOptions<HearthServerOptions> options,
        JobTracing? tracing = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _store = store;
        _signals = signals;
        _time = time;
        _options = options.Value;
        _tracing = tracing;
        _endpoints = _options.Endpoints.ToDictionary(e => e.Name, StringComparer.Ordinal);
    }

    /// <summary>Names of the served endpoints.</summary>
    public IReadOnlyCollection<string> EndpointNames => _endpoints.Keys;

    /// <summary>Now, in Unix milliseconds.</summary>
    public long NowMs => _time.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>
    /// How long a worker counts as present after it was last seen (its takes and heartbeats): two leases, so one late
    /// heartbeat does not make it vanish.
    /// </summary>
    public long PresenceMs => 2 * LeaseMs;

    private long LeaseMs => (long)_options.Lease.TotalMilliseconds;

    /// <summary>The endpoint's settings, or null when it is not served here.</summary>
    public EndpointOptions? Endpoint(string name) => _endpoints.GetValueOrDefault(name);

    /// <summary>True when a worker last seen at <paramref name="lastSeenMs"/> still counts as present.</summary>
    public bool IsPresent(long lastSeenMs) => lastSeenMs >= NowMs - PresenceMs;

    internal async Task<SubmitResult> SubmitAsync(
        string endpoint, JobSubmission submission, bool sync, long retentionMs, IdempotencyClaim? idempotency,
        CancellationToken cancellationToken)
    {
        var job = Prepare(endpoint, submission, sync, retentionMs, idempotency);

        // Waiting workers are woken as soon as the job can be taken; the client's answer still waits until it is
        // durable.
        var result = await _store
            .SubmitOnceAsync(endpoint, job, () => _signals.WorkAvailable(endpoint), cancellationToken)
            .ConfigureAwait(false);
        return Checked(result);
    }

    /// <summary>Submits a batch (<c>/runbatch</c>): one script per job, one durable wait; results in order.</summary>
    internal async Task<IReadOnlyList<SubmitResult>> SubmitManyAsync(
        string endpoint, IReadOnlyList<(JobSubmission Submission, IdempotencyClaim? Idempotency)> items,
        long retentionMs, CancellationToken cancellationToken)
    {
        var jobs = items.Select(i => Prepare(endpoint, i.Submission, sync: false, retentionMs, i.Idempotency))
            .ToList();
        var results = await _store
            .SubmitManyAsync(endpoint, jobs, () => _signals.WorkAvailable(endpoint), cancellationToken)
            .ConfigureAwait(false);
        return [.. results.Select(Checked)];
    }

    private NewJob Prepare(
        string endpoint, JobSubmission s, bool sync, long retentionMs, IdempotencyClaim? idempotency)
    {
        var id = (sync ? "sync-" : string.Empty) + Guid.NewGuid().ToString("D");
        var trace = _tracing is { Options.Enabled: true }
            ? _tracing.Begin(endpoint, id, s.SessionId, s.TraceParent)
            : null;
        return new NewJob(id, s.Payload(id, trace?.TraceParent), NowMs, s.TtlMs, s.ExecutionTimeoutMs, retentionMs,
            s.LowPriority, s.Webhook, s.SessionId, Endpoint(endpoint)?.SessionIdleMs ?? SessionLimits.DefaultIdleMs,
            idempotency)
        {
            TraceContext = trace?.ToString(),
        };
    }

    private static SubmitResult Checked(SubmitResult result) => result.Outcome == SubmitOutcome.DuplicateId
        ? throw new InvalidOperationException($"Job id {result.JobId} already exists; a random id collided.")
        : result;

    /// <summary>Reads a job, waiting up to <paramref name="wait"/> for it to reach a final state.</summary>
    public async Task<JobSnapshot?> WaitFinalAsync(
        string endpoint, string jobId, TimeSpan wait, CancellationToken cancellationToken = default)
    {
        using var watch = _signals.Watch(endpoint, jobId);
        var deadline = _time.GetTimestamp() + (long)(wait.TotalSeconds * _time.TimestampFrequency);
        while (true)
        {
            var next = watch.Signal.Next;
            var job = await _store.GetAsync(endpoint, jobId, cancellationToken).ConfigureAwait(false);
            var left = _time.GetElapsedTime(_time.GetTimestamp(), deadline);
            if (job is null || JobStatus.IsFinal(job.Status) || left <= TimeSpan.Zero)
            {
                return job;
            }

            var pause = left < RecheckInterval ? left : RecheckInterval;
            await Waits.SignalOrTimeoutAsync(next, pause, _time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The stream chunks not read yet; when there are none and the job is still running, holds the request up to
    /// <see cref="HearthServerOptions.StreamWait"/> for one, so a client polling in a tight loop (the JS SDK) gets
    /// chunks, not a spin. Null when the job does not exist.
    /// </summary>
    public async Task<StreamRead?> ReadStreamAsync(
        string endpoint, string jobId, CancellationToken cancellationToken = default)
    {
        using var watch = _signals.Watch(endpoint, jobId);
        var next = watch.Signal.Next;
        var read = await _store.ReadStreamAsync(endpoint, jobId, cancellationToken).ConfigureAwait(false);
        if (read is { Chunks.Count: 0 } && !JobStatus.IsFinal(read.Status))
        {
            await Waits.SignalOrTimeoutAsync(next, _options.StreamWait, _time, cancellationToken).ConfigureAwait(false);
            read = await _store.ReadStreamAsync(endpoint, jobId, cancellationToken).ConfigureAwait(false);
        }

        return read;
    }
}

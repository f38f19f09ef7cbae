using Hearth.Core.Jobs;
using Hearth.Server.Api;
using Hearth.Server.Hosting;
using Hearth.Server.Observability;
using Hearth.Store;
using Hearth.Store.Jobs;
using Microsoft.Extensions.Options;

namespace Hearth.Server.Jobs;

/// <summary>The job operations behind the APIs: the store plus wake-ups plus the clock.</summary>
public sealed class JobService
{
    private static readonly TimeSpan RecheckInterval = TimeSpan.FromSeconds(1);
    private readonly Dictionary<string, EndpointOptions> _endpoints;

    /// <summary>Creates the service.</summary>
    public JobService(IHearthStore store, JobSignals signals, TimeProvider time, IOptions<HearthServerOptions> options, JobTracing? tracing = null)
    {
        Tracing = tracing;
        ArgumentNullException.ThrowIfNull(options);
        Store = store;
        Signals = signals;
        Time = time;
        Options = options.Value;
        _endpoints = Options.Endpoints.ToDictionary(e => e.Name, StringComparer.Ordinal);
    }

    /// <summary>The store.</summary>
    public IHearthStore Store { get; }

    /// <summary>Tracing of jobs (job spans, span store), when registered.</summary>
    public JobTracing? Tracing { get; }

    /// <summary>The wake-ups.</summary>
    public JobSignals Signals { get; }

    /// <summary>The clock.</summary>
    public TimeProvider Time { get; }

    /// <summary>Server settings.</summary>
    public HearthServerOptions Options { get; }

    /// <summary>Names of the served endpoints.</summary>
    public IReadOnlyCollection<string> EndpointNames => _endpoints.Keys;

    /// <summary>Now, in Unix milliseconds.</summary>
    public long NowMs => Time.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>The endpoint's settings, or null when it is not served here.</summary>
    public EndpointOptions? Endpoint(string name) => _endpoints.GetValueOrDefault(name);

    internal async Task<SubmitResult> SubmitAsync(string endpoint, SubmitRequest request, bool sync, long retentionMs, CancellationToken cancellationToken, IdempotencyClaim? idempotency = null)
    {
        var id = (sync ? "sync-" : string.Empty) + Guid.NewGuid().ToString("D");
        var trace = Tracing?.Begin(endpoint, id, request.SessionId, request.TraceParent);
        var job = new NewJob(id, request.Payload(id, trace?.TraceParent), NowMs, request.TtlMs, request.ExecutionTimeoutMs, retentionMs, request.LowPriority, request.Webhook, request.SessionId,
            Endpoint(endpoint)?.SessionIdleMs ?? SessionLimits.DefaultIdleMs, idempotency)
        {
            TraceContext = trace?.ToString(),
        };
        // Waiting workers are woken as soon as the job can be taken; the client's answer still waits until it is durable.
        var result = await Store.SubmitOnceAsync(endpoint, job, () => Signals.WorkAvailable(endpoint), cancellationToken).ConfigureAwait(false);
        if (result.Outcome == SubmitOutcome.DuplicateId)
        {
            throw new InvalidOperationException($"Job id {id} already exists; a random id collided.");
        }

        return result;
    }

    /// <summary>Reads a job, waiting up to <paramref name="wait"/> for it to reach a final state.</summary>
    public async Task<JobSnapshot?> WaitFinalAsync(string endpoint, string jobId, TimeSpan wait, CancellationToken cancellationToken)
    {
        using var watch = Signals.Watch(endpoint, jobId);
        var deadline = Time.GetTimestamp() + (long)(wait.TotalSeconds * Time.TimestampFrequency);
        while (true)
        {
            var next = watch.Signal.Next;
            var job = await Store.GetAsync(endpoint, jobId, cancellationToken).ConfigureAwait(false);
            var left = Time.GetElapsedTime(Time.GetTimestamp(), deadline);
            if (job is null || JobStatus.IsFinal(job.Status) || left <= TimeSpan.Zero)
            {
                return job;
            }

            await Waits.SignalOrTimeoutAsync(next, left < RecheckInterval ? left : RecheckInterval, Time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Wakes everyone interested in jobs whose state a store operation changed.</summary>
    public void Changed(string endpoint, IEnumerable<string> jobIds)
    {
        ArgumentNullException.ThrowIfNull(jobIds);
        foreach (var id in jobIds)
        {
            Signals.JobChanged(endpoint, id);
        }
    }
}

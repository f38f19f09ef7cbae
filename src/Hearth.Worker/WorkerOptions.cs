using System.Globalization;
using Hearth.Core.Wire;

namespace Hearth.Worker;

/// <summary>
/// How a worker reaches its control plane. <see cref="FromEnvironment()"/> reads the same variables as runpod-python,
/// so a Hearth worker runs under Hearth or under any Runpod-protocol control plane.
/// </summary>
public sealed class WorkerOptions
{
    /// <summary>Job-take URL template (<c>RUNPOD_WEBHOOK_GET_JOB</c>); <c>$ID</c> is the worker id. Required.</summary>
    public string JobTakeUrl { get; set; } = string.Empty;

    /// <summary>
    /// Result URL template (<c>RUNPOD_WEBHOOK_POST_OUTPUT</c>); <c>$RUNPOD_POD_ID</c> is the worker id, <c>$ID</c> the
    /// job id. Required.
    /// </summary>
    public string JobDoneUrl { get; set; } = string.Empty;

    /// <summary>
    /// Stream-chunk URL template (<c>RUNPOD_WEBHOOK_POST_STREAM</c>). Default: derived from <see cref="JobDoneUrl"/>.
    /// </summary>
    public string? JobStreamUrl { get; set; }

    /// <summary>
    /// Heartbeat URL template (<c>RUNPOD_WEBHOOK_PING</c>); null disables heartbeats (and lease self-checks).
    /// </summary>
    public string? PingUrl { get; set; }

    /// <summary>Worker id (<c>RUNPOD_POD_ID</c>). Default: a random id.</summary>
    public string WorkerId { get; set; } = "worker-" + Guid.NewGuid().ToString("N")[..12];

    /// <summary>Worker token sent raw in <c>Authorization</c> (<c>RUNPOD_AI_API_KEY</c>).</summary>
    public string? ApiKey { get; set; }

    /// <summary>Heartbeat period (<c>RUNPOD_PING_INTERVAL</c>, ms). Default 10 s.</summary>
    public TimeSpan PingInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The control plane's lease (<c>HEARTH_LEASE_MS</c>). Default 30 s. A job whose lease was not renewed for this
    /// long is cancelled by the worker itself: the server has given it away, and the worker must not keep burning a
    /// GPU on it.
    /// </summary>
    public TimeSpan Lease { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Jobs run at once (<c>HEARTH_WORKER_CONCURRENCY</c>). Default 1.</summary>
    public int Concurrency { get; set; } = 1;

    /// <summary>On SIGTERM, how long in-flight jobs may run before they are handed back. Default 30 s.</summary>
    public TimeSpan DrainWindow { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Send every chunk of a streaming handler again as the final output, so <c>/runsync</c> and <c>/status</c> see
    /// them. Default true.
    /// </summary>
    public bool AggregateStream { get; set; } = true;

    /// <summary>
    /// Client API base URL for <c>ctx.CallAsync</c> (<c>HEARTH_API_URL</c>, e.g. <c>http://127.0.0.1:8080/v2</c>).
    /// Default none: calls are refused.
    /// </summary>
    public string? CallBaseUrl { get; set; }

    /// <summary>Client key for <c>ctx.CallAsync</c> (<c>HEARTH_CALL_KEY</c>). Default none.</summary>
    public string? CallKey { get; set; }

    /// <summary>
    /// Most steps one job may run (<c>HEARTH_MAX_STEPS</c>); more fails it with <c>loop_detected</c>. Default 200.
    /// </summary>
    public int MaxSteps { get; set; } = JobJournal.DefaultMaxSteps;

    /// <summary>
    /// Exit when this process id disappears (<c>HEARTH_PARENT_PID</c>, set by <c>hearth dev</c>) so a killed parent
    /// leaves no orphan. Default none.
    /// </summary>
    public int? ParentProcessId { get; set; }

    /// <summary>Reads the runpod-python variables (and Hearth's own) from <paramref name="environment"/>.</summary>
    public static WorkerOptions FromEnvironment(IReadOnlyDictionary<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        string? Get(string name) =>
            environment.TryGetValue(name, out var v) && !string.IsNullOrWhiteSpace(v) ? v : null;
        var options = new WorkerOptions
        {
            JobTakeUrl = Get(WorkerVariables.GetJob) ?? string.Empty,
            JobDoneUrl = Get(WorkerVariables.PostOutput) ?? string.Empty,
            JobStreamUrl = Get(WorkerVariables.PostStream),
            PingUrl = Get(WorkerVariables.Ping),
            ApiKey = Get(WorkerVariables.ApiKey),
            CallBaseUrl = Get(WorkerVariables.ApiUrl),
            CallKey = Get(WorkerVariables.CallKey),
        };
        if (Get(WorkerVariables.PodId) is { } id)
        {
            options.WorkerId = id;
        }

        if (Get(WorkerVariables.PingInterval) is { } ping
            && int.TryParse(ping, CultureInfo.InvariantCulture, out var pingMs) && pingMs > 0)
        {
            options.PingInterval = TimeSpan.FromMilliseconds(pingMs);
        }

        if (Get(WorkerVariables.LeaseMs) is { } lease
            && int.TryParse(lease, CultureInfo.InvariantCulture, out var leaseMs) && leaseMs > 0)
        {
            options.Lease = TimeSpan.FromMilliseconds(leaseMs);
        }

        if (Get(WorkerVariables.Concurrency) is { } c
            && int.TryParse(c, CultureInfo.InvariantCulture, out var concurrency) && concurrency > 0)
        {
            options.Concurrency = concurrency;
        }

        if (Get(WorkerVariables.MaxSteps) is { } steps
            && int.TryParse(steps, CultureInfo.InvariantCulture, out var maxSteps) && maxSteps > 0)
        {
            options.MaxSteps = maxSteps;
        }

        if (Get("HEARTH_PARENT_PID") is { } parent && int.TryParse(parent, CultureInfo.InvariantCulture, out var pid))
        {
            options.ParentProcessId = pid;
        }

        return options;
    }

    /// <summary>Reads the current process environment.</summary>
    public static WorkerOptions FromEnvironment() =>
        FromEnvironment(Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>()
            .ToDictionary(e => (string)e.Key, e => (string?)e.Value, StringComparer.Ordinal));

    /// <summary>Every problem with these options, each naming the setting and the fix; empty when usable.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (!Uri.TryCreate(JobTakeUrl.Replace("$ID", "x", StringComparison.Ordinal), UriKind.Absolute, out _))
        {
            problems.Add("RUNPOD_WEBHOOK_GET_JOB is missing or not a URL: set it to " +
                "http://HOST:PORT/v2/ENDPOINT/job-take/$ID? (hearth dev sets it for you).");
        }

        if (!Uri.TryCreate(
            JobDoneUrl.Replace("$ID", "x", StringComparison.Ordinal)
                .Replace("$RUNPOD_POD_ID", "x", StringComparison.Ordinal),
            UriKind.Absolute,
            out _))
        {
            problems.Add("RUNPOD_WEBHOOK_POST_OUTPUT is missing or not a URL: set it to " +
                "http://HOST:PORT/v2/ENDPOINT/job-done/$RUNPOD_POD_ID/$ID?.");
        }

        if (Concurrency < 1)
        {
            problems.Add($"Concurrency {Concurrency} must be at least 1 (HEARTH_WORKER_CONCURRENCY).");
        }

        if (PingUrl is not null && PingInterval * 2 > Lease)
        {
            problems.Add($"RUNPOD_PING_INTERVAL ({PingInterval.TotalMilliseconds} ms) must be at most half the lease " +
                $"({Lease.TotalMilliseconds} ms), or every job would be cancelled as lost.");
        }

        return problems;
    }
}

namespace Hearth.Core.Wire;

/// <summary>
/// The HTTP routes of the wire contract, spelled once: the control plane maps them under <see cref="Endpoint"/>, and
/// the worker SDK, the client and the worker environment build their URLs from them. Runpod's names where Runpod has
/// the route; Hearth extensions otherwise (marked). A test holds the control plane's route table to this list.
/// </summary>
public static class ApiRoutes
{
    /// <summary>Every endpoint's routes live under <c>/v2/{endpoint}</c>.</summary>
    public const string Endpoint = "/v2/{endpoint}";

    /// <summary>Client: submit a job (<c>POST</c>).</summary>
    public const string Run = "run";

    /// <summary>Client: submit many jobs in one request (<c>POST</c>; Hearth extension).</summary>
    public const string RunBatch = "runbatch";

    /// <summary>Client: submit and wait for the result (<c>POST</c>).</summary>
    public const string RunSync = "runsync";

    /// <summary>Client: a job's status (<c>GET status/{id}</c>).</summary>
    public const string Status = "status";

    /// <summary>Client: a job's status, waiting for its end (<c>GET status-sync/{id}</c>; Hearth's long
    /// form).</summary>
    public const string StatusSync = "status-sync";

    /// <summary>Client: a streaming job's new chunks (<c>GET stream/{id}</c>).</summary>
    public const string Stream = "stream";

    /// <summary>Client: cancel a job (<c>POST cancel/{id}</c>).</summary>
    public const string Cancel = "cancel";

    /// <summary>Client: run a failed or timed-out job again (<c>POST retry/{id}</c>).</summary>
    public const string Retry = "retry";

    /// <summary>Client: cancel every queued job (<c>POST</c>).</summary>
    public const string PurgeQueue = "purge-queue";

    /// <summary>Client: job and worker counters (<c>GET</c>).</summary>
    public const string Health = "health";

    /// <summary>Worker: take a job (<c>GET job-take/{worker}</c>).</summary>
    public const string JobTake = "job-take";

    /// <summary>Worker: take several jobs (<c>GET job-take-batch/{worker}</c>).</summary>
    public const string JobTakeBatch = "job-take-batch";

    /// <summary>Worker: post a result or progress (<c>POST job-done/{worker}/{job}</c>).</summary>
    public const string JobDone = "job-done";

    /// <summary>Worker, Hearth extension: post several results (<c>POST job-done-batch/{worker}</c>).</summary>
    public const string JobDoneBatch = "job-done-batch";

    /// <summary>Worker: post stream chunks (<c>POST job-stream/{worker}/{job}</c>).</summary>
    public const string JobStream = "job-stream";

    /// <summary>Worker: heartbeat the jobs it holds (<c>GET ping/{worker}</c>).</summary>
    public const string Ping = "ping";

    /// <summary>Worker, Hearth extension: long-poll the jobs to stop (<c>GET job-stop/{worker}</c>).</summary>
    public const string JobStop = "job-stop";

    /// <summary>Worker, Hearth extension: hand a job back unfinished (<c>POST
    /// job-release/{worker}/{job}</c>).</summary>
    public const string JobRelease = "job-release";

    /// <summary>Worker, Hearth extension: report spans (<c>POST job-spans/{worker}</c>).</summary>
    public const string JobSpans = "job-spans";

    /// <summary>Worker, Hearth extension: read a job's journaled steps (<c>GET
    /// session-steps/{worker}/{job}</c>).</summary>
    public const string SessionSteps = "session-steps";

    /// <summary>Worker, Hearth extension: journal a step (<c>POST session-step/{worker}/{job}</c>).</summary>
    public const string SessionStep = "session-step";

    /// <summary>Worker, Hearth extension: read or write session state (<c>session-state/{worker}/{job}</c>).</summary>
    public const string SessionState = "session-state";

    /// <summary>Every route name above, for the test that holds the control plane to them.</summary>
    public static IReadOnlyList<string> All { get; } =
    [
        Run, RunBatch, RunSync, Status, StatusSync, Stream, Cancel, Retry, PurgeQueue, Health, JobTake, JobTakeBatch,
        JobDone, JobDoneBatch, JobStream, Ping, JobStop, JobRelease, JobSpans, SessionSteps, SessionStep, SessionState,
    ];
}

using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Hearth.Worker;

/// <summary>What a handler knows about the job it runs, and how it talks back while running.</summary>
public sealed class JobContext
{
    private readonly Func<JsonElement, CancellationToken, Task> _reportProgress;
    private readonly JobCalls? _calls;
    private readonly JobJournal? _journal;
    private readonly SessionState? _session;

    internal JobContext(
        string id, JsonElement job, string workerId, Func<JsonElement, CancellationToken, Task> reportProgress,
        JobCalls? calls = null, JobJournal? journal = null,
        WorkerProtocol? protocol = null)
    {
        _calls = calls;
        _journal = journal;
        _session = protocol is null ? null : new SessionState(protocol, id);
        Id = id;
        Job = job;
        WorkerId = workerId;
        _reportProgress = reportProgress;
    }

    /// <summary>The job id.</summary>
    public string Id { get; }

    /// <summary>The whole job object as the control plane sent it (<c>id</c>, <c>input</c>, <c>s3Config</c>,
    /// …).</summary>
    public JsonElement Job { get; }

    /// <summary>This worker's id.</summary>
    public string WorkerId { get; }

    /// <summary>The job's session (<c>session_id</c>), or null for a stand-alone job.</summary>
    public string? SessionId =>
        Job.TryGetProperty("session_id", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString() : null;

    /// <summary>
    /// Which grant of the job this is: 1 the first time a worker takes it, 2 and up after its worker was lost or it was
    /// retried (Hearth's <c>attempt</c> field; 1 when the control plane does not send one).
    /// </summary>
    public int Attempt => AttemptOf(Job) ?? 1;

    /// <summary>Small named values kept with the session in the control plane's store
    /// (<see cref="SessionState"/>).</summary>
    public SessionState Session => _session ?? throw new InvalidOperationException(
        "This context has no session state (it was not created by a Hearth worker).");

    /// <summary>True when this attempt found results of an earlier attempt (or job of the session) in the
    /// journal.</summary>
    public bool IsRehydrated => _journal?.Rehydrated ?? false;

    /// <summary>Steps of this attempt that returned a journaled result instead of running (rehydration).</summary>
    public int ReplayedSteps => _journal?.Replayed ?? 0;

    /// <summary>
    /// Runs a named step and journals its result in the session before returning; on a retry, a requeue after a lost
    /// worker, or a later job of the same session, a journaled step returns its result without running again.
    /// A name repeated within one job is indexed (<c>web-retrieval</c>, <c>web-retrieval[2]</c>, …).
    /// </summary>
    [RequiresUnreferencedCode(WorkerJson.TypeInfoFromOptions)]
    [RequiresDynamicCode(WorkerJson.TypeInfoFromOptions)]
    public Task<T> StepAsync<T>(string name, Func<CancellationToken, Task<T>> run,
        JsonSerializerOptions? options = null, CancellationToken cancellationToken = default) =>
        StepAsync(name, run, WorkerJson.Info<T>(options), cancellationToken);

    /// <summary>A named, journaled step (see the overload with options) whose result is written and read with the
    /// source-generated contract <paramref name="type"/> (trim-safe).</summary>
    public Task<T> StepAsync<T>(string name, Func<CancellationToken, Task<T>> run, JsonTypeInfo<T> type,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(type);
        return _journal is null ? run(cancellationToken) : _journal.StepAsync(name, run, type, cancellationToken);
    }

    /// <summary>The job this one was called from (<c>ctx.CallAsync</c>), or null.</summary>
    public string? ParentJobId =>
        Job.TryGetProperty("parent_job_id", out var p) && p.ValueKind == JsonValueKind.String ? p.GetString() : null;

    /// <summary>The raw <c>input</c>.</summary>
    public JsonElement Input => Job.TryGetProperty("input", out var input) ? input : default;

    /// <summary>
    /// Runs a job on another endpoint and returns its output; fails with <see cref="CallFailedException"/> when it
    /// fails or runs past <paramref name="timeout"/> (the sub-job is then cancelled). Start several and await them
    /// together to fan out. The sub-job records this job as its parent (<c>parent_job_id</c>).
    /// </summary>
    [RequiresUnreferencedCode(WorkerJson.TypeInfoFromOptions)]
    [RequiresDynamicCode(WorkerJson.TypeInfoFromOptions)]
    public Task<TOut> CallAsync<TIn, TOut>(string endpoint, TIn input, TimeSpan timeout,
        JsonSerializerOptions? options = null, CancellationToken cancellationToken = default) =>
        Calls.CallAsync(endpoint, input, timeout, Id, WorkerJson.Info<TIn>(options), WorkerJson.Info<TOut>(options),
            cancellationToken);

    /// <summary>
    /// Runs a job on another endpoint and returns its output, bounded by the callee's own execution timeout (a sub-job
    /// that runs past it ends TIMED_OUT and the call fails with <see cref="CallFailedException"/>).
    /// </summary>
    [RequiresUnreferencedCode(WorkerJson.TypeInfoFromOptions)]
    [RequiresDynamicCode(WorkerJson.TypeInfoFromOptions)]
    public Task<TOut> CallAsync<TIn, TOut>(string endpoint, TIn input, JsonSerializerOptions? options = null,
        CancellationToken cancellationToken = default) =>
        Calls.CallAsync(endpoint, input, null, Id, WorkerJson.Info<TIn>(options), WorkerJson.Info<TOut>(options),
            cancellationToken);

    /// <summary>
    /// Runs a job on another endpoint (see the overloads with options) with source-generated contracts for its input
    /// and output (trim-safe); <paramref name="timeout"/> null: the callee's own execution timeout bounds it.
    /// </summary>
    public Task<TOut> CallAsync<TIn, TOut>(string endpoint, TIn input, JsonTypeInfo<TIn> inputType,
        JsonTypeInfo<TOut> outputType, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(inputType);
        ArgumentNullException.ThrowIfNull(outputType);
        return Calls.CallAsync(endpoint, input, timeout, Id, inputType, outputType, cancellationToken);
    }

    private JobCalls Calls =>
        _calls ?? throw new InvalidOperationException("This context cannot call other endpoints.");

    /// <summary>Sends a progress update: <c>/status</c> shows it as the job's output while it is IN_PROGRESS.</summary>
    [RequiresUnreferencedCode(WorkerJson.TypeInfoFromOptions)]
    [RequiresDynamicCode(WorkerJson.TypeInfoFromOptions)]
    public Task ReportProgressAsync<T>(
        T progress, JsonSerializerOptions? options = null, CancellationToken cancellationToken = default) =>
        ReportProgressAsync(progress, WorkerJson.Info<T>(options), cancellationToken);

    /// <summary>Sends a progress update written with the source-generated contract <paramref name="type"/>
    /// (trim-safe).</summary>
    public Task ReportProgressAsync<T>(T progress, JsonTypeInfo<T> type, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(type);
        return _reportProgress(JsonSerializer.SerializeToElement(progress, type), cancellationToken);
    }

    /// <summary>The <c>attempt</c> of a job object, when the control plane sent one.</summary>
    internal static int? AttemptOf(JsonElement job) =>
        job.ValueKind == JsonValueKind.Object && job.TryGetProperty("attempt", out var a) && a.TryGetInt32(out var n)
            && n > 0 ? n : null;
}

using System.Text.Json;

namespace Hearth.Worker;

/// <summary>What a handler knows about the job it runs, and how it talks back while running.</summary>
public sealed class JobContext
{
    private readonly Func<JsonElement, CancellationToken, Task> _reportProgress;
    private readonly JobCalls? _calls;

    internal JobContext(string id, JsonElement job, string workerId, Func<JsonElement, CancellationToken, Task> reportProgress, JobCalls? calls = null)
    {
        _calls = calls;
        Id = id;
        Job = job;
        WorkerId = workerId;
        _reportProgress = reportProgress;
    }

    /// <summary>The job id.</summary>
    public string Id { get; }

    /// <summary>The whole job object as the control plane sent it (<c>id</c>, <c>input</c>, <c>s3Config</c>, …).</summary>
    public JsonElement Job { get; }

    /// <summary>This worker's id.</summary>
    public string WorkerId { get; }

    /// <summary>The raw <c>input</c>.</summary>
    public JsonElement Input => Job.TryGetProperty("input", out var input) ? input : default;

    /// <summary>
    /// Runs a job on another endpoint and returns its output; fails with <see cref="CallFailedException"/> when it fails
    /// or runs past <paramref name="timeout"/> (the sub-job is then cancelled). Start several and await them together to fan out.
    /// </summary>
    public Task<TOut> CallAsync<TIn, TOut>(string endpoint, TIn input, TimeSpan timeout, JsonSerializerOptions? options = null, CancellationToken cancellationToken = default) =>
        (_calls ?? throw new InvalidOperationException("This context cannot call other endpoints."))
            .CallAsync<TIn, TOut>(endpoint, input, timeout, options ?? JsonSerializerOptions.Web, cancellationToken);

    /// <summary>Sends a progress update: <c>/status</c> shows it as the job's output while it is IN_PROGRESS.</summary>
    public Task ReportProgressAsync<T>(T progress, JsonSerializerOptions? options = null, CancellationToken cancellationToken = default) =>
        _reportProgress(JsonSerializer.SerializeToElement(progress, options ?? JsonSerializerOptions.Web), cancellationToken);
}

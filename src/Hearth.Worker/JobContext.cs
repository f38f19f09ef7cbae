using System.Text.Json;

namespace Hearth.Worker;

/// <summary>What a handler knows about the job it runs, and how it talks back while running.</summary>
public sealed class JobContext
{
    private readonly Func<JsonElement, CancellationToken, Task> _reportProgress;

    internal JobContext(string id, JsonElement job, string workerId, Func<JsonElement, CancellationToken, Task> reportProgress)
    {
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

    /// <summary>Sends a progress update: <c>/status</c> shows it as the job's output while it is IN_PROGRESS.</summary>
    public Task ReportProgressAsync<T>(T progress, JsonSerializerOptions? options = null, CancellationToken cancellationToken = default) =>
        _reportProgress(JsonSerializer.SerializeToElement(progress, options ?? JsonSerializerOptions.Web), cancellationToken);
}

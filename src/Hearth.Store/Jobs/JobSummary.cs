namespace Hearth.Store.Jobs;

/// <summary>One job as the recent-jobs list shows it (dashboard, <c>GET /api/jobs</c>).</summary>
/// <param name="Id">Job id.</param>
/// <param name="Status">Its status.</param>
/// <param name="SubmittedMs">Submission time.</param>
/// <param name="StartedMs">When its current or last worker took it, if one did.</param>
/// <param name="DelayTimeMs">Queue time, when taken.</param>
/// <param name="ExecutionTimeMs">Run time, once final.</param>
/// <param name="WorkerId">The worker that ran it last.</param>
/// <param name="SessionId">Its named session, or null for a job with its own journal.</param>
/// <param name="Error">Error text of a failed or timed-out job.</param>
/// <param name="Reason">Machine-readable reason of a platform decision (<c>execution_timeout</c>,
/// <c>purged</c>…).</param>
public sealed record JobSummary(
    string Id, string Status, long SubmittedMs, long? StartedMs, long? DelayTimeMs, long? ExecutionTimeMs,
    string? WorkerId, string? SessionId, string? Error, string? Reason);

/// <summary>One job with what it was given and what it returned.</summary>
/// <param name="Summary">Its summary.</param>
/// <param name="PayloadJson">The JSON object handed to the worker (<c>id</c>, <c>input</c>…).</param>
/// <param name="OutputJson">Its output JSON, or null.</param>
public sealed record JobDetail(JobSummary Summary, string? PayloadJson, string? OutputJson);

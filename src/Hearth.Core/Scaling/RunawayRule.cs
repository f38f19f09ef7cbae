namespace Hearth.Core.Scaling;

/// <summary>
/// When a worker that keeps running a job it was told to stop (timeout, cancel) is killed and replaced — the same
/// rule for local processes and node agents — and how the kill is explained.
/// </summary>
public static class RunawayRule
{
    /// <summary>How long a worker may keep running a job after its stop signal. 10 s.</summary>
    public static readonly TimeSpan Grace = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The reason to kill, once the worker reported the job a whole grace after it was told to stop; null while it has
    /// not. A worker that went silent right after being told (frozen, cut off) proves nothing: its lease decides.
    /// </summary>
    /// <param name="jobId">The job the worker was told to stop.</param>
    /// <param name="toldMs">When the worker was told (Unix ms).</param>
    /// <param name="lastReportedMs">When the worker last reported still running it (Unix ms).</param>
    /// <returns>e.g. <c>still running job J 10.4 s after it was told to stop (grace 10 s)</c>, or null.</returns>
    public static string? KillReason(string jobId, long toldMs, long lastReportedMs)
    {
        var late = TimeSpan.FromMilliseconds(lastReportedMs - toldMs);
        return late < Grace ? null : string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"still running job {jobId} {late.TotalSeconds:0.0} s after it was told to stop (grace "
            + $"{Grace.TotalSeconds:0} s)");
    }
}

using Hearth.Store.Jobs;
using Hearth.Store.Scripts;
using StackExchange.Redis;

namespace Hearth.Store;

public sealed partial class RedisHearthStore
{
    /// <summary>
    /// How many of an endpoint's newest jobs the recent-jobs index keeps (default 1000). The submit script trims the
    /// oldest entries past it; the jobs themselves stay until their TTL or retention ends.
    /// </summary>
    public const int RecentJobsCap = 1000;

    /// <summary>
    /// How long after a worker's <c>stopPod</c> takes under its id are still its exiting process's (handed nothing);
    /// a take later comes from a restarted process and is served (<c>RESTART_QUIET_MS</c> in the scripts).
    /// </summary>
    public const long RestartQuietMs = 2_000;

    private const int SummaryFields = 10;

    /// <inheritdoc />
    public async Task<IReadOnlyList<JobSummary>> RecentJobsAsync(
        string endpoint, string? status, int limit, CancellationToken cancellationToken = default)
    {
        var r = (RedisResult[])(await EvalAsync(ScriptLibrary.Recent, endpoint, [limit, status ?? string.Empty])
            .ConfigureAwait(false))!;
        await DurableAsync(cancellationToken).ConfigureAwait(false);
        var jobs = new List<JobSummary>(r.Length / SummaryFields);
        for (var i = 0; i + SummaryFields <= r.Length; i += SummaryFields)
        {
            jobs.Add(Summary(r, i));
        }

        return jobs;
    }

    /// <inheritdoc />
    public async Task<JobDetail?> GetDetailAsync(
        string endpoint, string jobId, CancellationToken cancellationToken = default)
    {
        var r = (RedisResult[])(await EvalAsync(ScriptLibrary.Detail, endpoint, [jobId]).ConfigureAwait(false))!;
        await DurableAsync(cancellationToken).ConfigureAwait(false);
        return r.Length == 0
            ? null : new JobDetail(Summary(r, 0), (string?)r[SummaryFields], (string?)r[SummaryFields + 1]);
    }

    private static JobSummary Summary(RedisResult[] r, int i)
    {
        var session = (string?)r[i + 7];
        return new JobSummary(
            Id: (string)r[i]!,
            Status: (string)r[i + 1]!,
            SubmittedMs: ToLong(r[i + 2]) ?? 0,
            StartedMs: ToLong(r[i + 3]),
            DelayTimeMs: ToLong(r[i + 4]),
            ExecutionTimeMs: ToLong(r[i + 5]),
            WorkerId: (string?)r[i + 6],
            SessionId: session is null || session.StartsWith(SessionLimits.OwnPrefix, StringComparison.Ordinal)
                ? null : session,
            Error: (string?)r[i + 8],
            Reason: (string?)r[i + 9]);
    }
}

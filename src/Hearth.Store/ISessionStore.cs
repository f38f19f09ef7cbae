using Hearth.Store.Jobs;

namespace Hearth.Store;

/// <summary>Sessions: the step journal and state a rehydrated worker reads, and their listing. Part of <see
/// cref="IHearthStore"/>.</summary>
public interface ISessionStore
{
    /// <summary>Journals a step result in the job's session, from the job's lease holder only (first write
    /// wins).</summary>
    Task<StepWrite> PutStepAsync(
        string endpoint, string jobId, string workerId, string stepKey, string valueJson, long nowMs,
        CancellationToken cancellationToken = default);

    /// <summary>The journal of the job's session (step key → result JSON, in write order), for its lease holder; null
    /// when the caller does not hold it.</summary>
    Task<IReadOnlyList<KeyValuePair<string, string>>?> GetStepsAsync(
        string endpoint, string jobId, string workerId, CancellationToken cancellationToken = default);

    /// <summary>Reads a value of the job's session state, for its lease holder only.</summary>
    Task<StateRead> GetStateAsync(
        string endpoint, string jobId, string workerId, string key, CancellationToken cancellationToken = default);

    /// <summary>Sets (or, with a null value, deletes) a value of the job's session state, for its lease holder
    /// only.</summary>
    Task<StateWrite> PutStateAsync(
        string endpoint, string jobId, string workerId, string key, string? valueJson, long nowMs,
        CancellationToken cancellationToken = default);

    /// <summary>The endpoint's named sessions, soonest expiry first, at most <paramref name="max"/>.</summary>
    Task<IReadOnlyList<SessionSummary>> ListSessionsAsync(
        string endpoint, int max, CancellationToken cancellationToken = default);

    /// <summary>One session with its journal and state (values cut to <paramref name="previewBytes"/>), or null when
    /// unknown.</summary>
    Task<SessionDetail?> GetSessionAsync(
        string endpoint, string sessionId, int previewBytes, CancellationToken cancellationToken = default);
}

namespace Hearth.Core.Jobs;

/// <summary>Limits and defaults of the client API, named once so the server, docs and tests agree (spec §1.3, §1.6,
/// §1.7).</summary>
public static class JobLimits
{
    /// <summary>Largest accepted <c>/run</c> body: 10 MB.</summary>
    public const long MaxRunBodyBytes = 10 * 1024 * 1024;

    /// <summary>Largest accepted <c>/runsync</c> body: 20 MB.</summary>
    public const long MaxRunSyncBodyBytes = 20 * 1024 * 1024;

    /// <summary>Largest accepted stream chunk: 1 MB.</summary>
    public const long MaxStreamChunkBytes = 1024 * 1024;

    /// <summary>Largest accepted job-done body (a result): 20 MB.</summary>
    public const long MaxResultBodyBytes = 20 * 1024 * 1024;

    /// <summary>Deepest JSON nesting accepted in any body.</summary>
    public const int MaxJsonDepth = 64;

    /// <summary>Default <c>/runsync</c> wait: 90 s.</summary>
    public const int DefaultRunSyncWaitMs = 90_000;

    /// <summary>Smallest accepted <c>wait</c>: 1 s.</summary>
    public const int MinWaitMs = 1_000;

    /// <summary>Largest accepted <c>wait</c>: 300 s.</summary>
    public const int MaxWaitMs = 300_000;

    /// <summary>Default execution timeout: 600 s.</summary>
    public const long DefaultExecutionTimeoutMs = 600_000;

    /// <summary>Smallest accepted <c>policy.executionTimeout</c>: 5 s.</summary>
    public const long MinExecutionTimeoutMs = 5_000;

    /// <summary>Largest accepted <c>policy.executionTimeout</c> and <c>policy.ttl</c>: 7 days.</summary>
    public const long MaxPolicyMs = 7L * 24 * 3600 * 1000;

    /// <summary>Default job TTL from submission: 24 h.</summary>
    public const long DefaultTtlMs = 24L * 3600 * 1000;

    /// <summary>Smallest accepted <c>policy.ttl</c>: 10 s.</summary>
    public const long MinTtlMs = 10_000;

    /// <summary>How long a <c>/run</c> result stays readable after its final state: 30 min.</summary>
    public const long RunRetentionMs = 30L * 60 * 1000;

    /// <summary>How long a <c>/runsync</c> result stays readable: 1 min.</summary>
    public const long RunSyncRetentionMs = 60_000;

    /// <summary>Longest <c>/runsync</c> retention, when <c>wait</c> was given: 5 min.</summary>
    public const long RunSyncMaxRetentionMs = 5L * 60 * 1000;
}

namespace Hearth.Core.Endpoints;

/// <summary>The accepted ranges for endpoint settings (Runpod Flash's, spec §3.1–3.2).</summary>
public static class EndpointLimits
{
    /// <summary>Default ceiling on journaled steps per job (<c>max_steps</c>): 200.</summary>
    public const int DefaultMaxSteps = 200;

    /// <summary>Highest <c>max_steps</c>: 100 000.</summary>
    public const int MaxMaxSteps = 100_000;

    /// <summary>Shortest session idle timeout, and the least the default gives: 30 min.</summary>
    public const int MinSessionIdleTimeoutSeconds = 1800;

    /// <summary>Longest session idle timeout: 7 days.</summary>
    public const int MaxSessionIdleTimeoutSeconds = 604_800;

    /// <summary>Shortest idle timeout: 1 s.</summary>
    public const int MinIdleTimeoutSeconds = 1;

    /// <summary>Longest idle timeout: 3600 s.</summary>
    public const int MaxIdleTimeoutSeconds = 3600;

    /// <summary>Shortest non-zero execution timeout: 5 s.</summary>
    public const long MinExecutionTimeoutMs = 5_000;

    /// <summary>Longest execution timeout: 7 days.</summary>
    public const long MaxExecutionTimeoutMs = 604_800_000;

    /// <summary>Shortest job TTL: 10 s.</summary>
    public const long MinTtlMs = 10_000;

    /// <summary>Longest job TTL: 7 days.</summary>
    public const long MaxTtlMs = 604_800_000;

    /// <summary>Most GPUs per worker.</summary>
    public const int MaxGpuCount = 8;

    /// <summary>Smallest network volume: 10 GB.</summary>
    public const int MinVolumeSizeGb = 10;

    /// <summary>Largest network volume: 4096 GB.</summary>
    public const int MaxVolumeSizeGb = 4096;

    /// <summary>Weights and KV-cache dtypes a <c>model</c> may declare.</summary>
    public static IReadOnlyList<string> Dtypes { get; } = ["fp32", "fp16", "bf16", "fp8", "int8", "int4"];

    /// <summary>Whether <paramref name="name"/> is safe as one directory name: letters, digits, '-', '_' and '.', not
    /// starting with '.', at most 64 characters.</summary>
    public static bool IsVolumeName(string name) =>
        name.Length is > 0 and <= 64 && name[0] != '.'
        && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');
}

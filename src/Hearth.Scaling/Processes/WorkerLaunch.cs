namespace Hearth.Scaling.Processes;

/// <summary>Everything needed to start one worker process of an endpoint.</summary>
/// <param name="WorkerId">The worker's id, unique among running workers (<c>{endpoint}-{shortrandom}</c>).</param>
/// <param name="Endpoint">The endpoint the worker serves.</param>
/// <param name="FileName">The executable to run.</param>
/// <param name="Arguments">The arguments, passed as-is without shell parsing.</param>
/// <param name="Environment">Variables added to (or overriding) the inherited environment.</param>
/// <param name="WorkingDirectory">The working directory; <see langword="null"/> keeps the host's.</param>
public sealed record WorkerLaunch(
    string WorkerId,
    string Endpoint,
    string FileName,
    IReadOnlyList<string> Arguments,
    IReadOnlyDictionary<string, string> Environment,
    string? WorkingDirectory = null);

namespace Hearth.Scaling.Processes;

/// <summary>A worker process ended, and its output has been read to the end (or for a bounded grace).</summary>
/// <param name="WorkerId">The worker's id.</param>
/// <param name="Endpoint">The endpoint the worker served.</param>
/// <param name="ExitCode">The exit code; 128 + signal number when a signal ended it (137 after a kill).</param>
/// <param name="LastStderrLines">The last lines the worker wrote to stderr, oldest first.</param>
/// <param name="Requested">Whether a stop was asked for; <see langword="false"/> means the worker exited or crashed on
/// its own.</param>
public sealed record WorkerExited(
    string WorkerId,
    string Endpoint,
    int ExitCode,
    IReadOnlyList<string> LastStderrLines,
    bool Requested);

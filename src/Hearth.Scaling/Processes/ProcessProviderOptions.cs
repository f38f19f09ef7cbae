namespace Hearth.Scaling.Processes;

/// <summary>Settings of <see cref="ProcessProvider"/>.</summary>
public sealed class ProcessProviderOptions
{
    /// <summary>
    /// Receives every stdout and stderr line of every worker (worker id, line), so the CLI can print them.
    /// Default: <see langword="null"/>, and lines go to the logger at Debug.
    /// </summary>
    public Action<string, string>? OutputSink { get; init; }

    /// <summary>How many stderr lines are kept per worker for <see cref="WorkerExited.LastStderrLines"/>. Default:
    /// 20.</summary>
    public int StderrLinesKept { get; init; } = 20;

    /// <summary>The drain each worker gets when the provider is disposed, before it is killed. Default: 5 s.</summary>
    public TimeSpan DisposeDrain { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long to keep reading a worker's output after its process ended, in case a leftover child still holds
    /// the pipes. Default: 2 s.
    /// </summary>
    public TimeSpan OutputGrace { get; init; } = TimeSpan.FromSeconds(2);
}

using System.Diagnostics;

namespace Hearth.Scaling.Processes;

/// <summary>The provider's bookkeeping for one live worker process.</summary>
internal sealed class RunningWorker(Process process, WorkerHandle handle, int stderrLinesKept, bool ownsProcessGroup)
{
    private volatile bool stopRequested;

    public Process Process { get; } = process;

    public WorkerHandle Handle { get; } = handle;

    public StderrTail Stderr { get; } = new(stderrLinesKept);

    /// <summary>Started through <c>setsid</c>, so the worker's pid also names a process group holding all its
    /// descendants.</summary>
    public bool OwnsProcessGroup { get; } = ownsProcessGroup;

    public bool StopRequested
    {
        get => stopRequested;
        set => stopRequested = value;
    }

    /// <summary>Reads the output, waits for the exit, then raises <see cref="ProcessProvider.Exited"/>; it never
    /// faults.</summary>
    public Task Monitor { get; set; } = Task.CompletedTask;
}

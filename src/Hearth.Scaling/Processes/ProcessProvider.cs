using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Hearth.Scaling.Processes;

/// <summary>
/// Runs workers as local child processes. Output is captured per worker, a stop is SIGTERM then (after the drain)
/// a kill of the whole process tree, and disposing stops every worker: no worker outlives the provider.
/// </summary>
public sealed partial class ProcessProvider : IAsyncDisposable
{
    /// <summary>The variable every worker gets with the host's pid, so it can exit when the host dies.</summary>
    public const string ParentPidVariable = "HEARTH_PARENT_PID";

    // setsid makes the worker lead its own process group, so children it leaves behind can still be found and
    // killed after it exited (Process.Kill(entireProcessTree) only sees descendants of a live process).
    private const string SetsidPath = "/usr/bin/setsid";

    private readonly ConcurrentDictionary<string, RunningWorker> workers = new(StringComparer.Ordinal);
    private readonly Lock gate = new();
    private readonly ProcessProviderOptions options;
    private readonly TimeProvider time;
    private readonly ILogger logger;
    private bool disposed;

    /// <summary>Creates a provider.</summary>
    /// <param name="options">Settings; default: <see cref="ProcessProviderOptions"/> defaults.</param>
    /// <param name="timeProvider">The clock for start times and drain windows; default: <see
    /// cref="TimeProvider.System"/>.</param>
    /// <param name="logger">Receives lifecycle events, and worker output when no sink is set.</param>
    public ProcessProvider(ProcessProviderOptions? options = null, TimeProvider? timeProvider = null,
        ILogger<ProcessProvider>? logger = null)
    {
        this.options = options ?? new ProcessProviderOptions();
        time = timeProvider ?? TimeProvider.System;
        this.logger = logger ?? NullLogger<ProcessProvider>.Instance;
        AppDomain.CurrentDomain.ProcessExit += OnHostExit;
    }

    /// <summary>Raised once per worker when its process has ended, whether asked to or not.</summary>
    public event EventHandler<WorkerExited>? Exited;

    /// <summary>The workers started and not yet exited.</summary>
    public IReadOnlyList<WorkerHandle> Workers => [.. workers.Values.Select(w => w.Handle)];

    /// <summary>Starts a worker.</summary>
    /// <param name="launch">What to run.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The started worker.</returns>
    public Task<WorkerHandle> StartAsync(WorkerLaunch launch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(launch);
        cancellationToken.ThrowIfCancellationRequested();
        var ownsGroup = OperatingSystem.IsLinux() && File.Exists(SetsidPath);
        var process = new Process { StartInfo = CreateStartInfo(launch, ownsGroup, time.GetUtcNow()) };
        RunningWorker worker;
        lock (gate)
        {
            // Under the lock so DisposeAsync either sees this worker or this start fails: never a process it missed.
            ObjectDisposedException.ThrowIf(disposed, this);
            if (workers.ContainsKey(launch.WorkerId))
            {
                process.Dispose();
                throw new InvalidOperationException(
                    $"A worker with id '{launch.WorkerId}' is already running; worker ids must be unique.");
            }

            try
            {
                process.Start();
            }
            catch
            {
                process.Dispose();
                throw;
            }

            var handle = new WorkerHandle(launch.WorkerId, launch.Endpoint, process.Id, time.GetUtcNow());
            worker = new RunningWorker(process, handle, options.StderrLinesKept, ownsGroup);
            workers[launch.WorkerId] = worker;
        }

        // Workers read no console input; closing stdin keeps them off the host's terminal.
        process.StandardInput.Close();
        Log.Started(logger, launch.WorkerId, launch.Endpoint, worker.Handle.ProcessId);
        worker.Monitor = MonitorAsync(worker);
        return Task.FromResult(worker.Handle);
    }

    /// <summary>Stops every worker (SIGTERM, <see cref="ProcessProviderOptions.DisposeDrain"/>, then a kill of its
    /// tree).</summary>
    /// <returns>Completes when no worker process is left.</returns>
    public async ValueTask DisposeAsync()
    {
        lock (gate)
        {
            if (disposed)
            {
                return;
            }

            disposed = true;
        }

        AppDomain.CurrentDomain.ProcessExit -= OnHostExit;
        var running = workers.Values.ToArray();
        await Task.WhenAll(running.Select(w => StopAsync(w.Handle.WorkerId, options.DisposeDrain)))
            .ConfigureAwait(false);
        await Task.WhenAll(running.Select(w => w.Monitor)).ConfigureAwait(false);
    }

    private static ProcessStartInfo CreateStartInfo(WorkerLaunch launch, bool ownsGroup, DateTimeOffset now)
    {
        var info = new ProcessStartInfo
        {
            FileName = ownsGroup ? SetsidPath : launch.FileName,
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = launch.WorkingDirectory ?? string.Empty,
        };
        if (ownsGroup)
        {
            info.ArgumentList.Add("--");
            info.ArgumentList.Add(launch.FileName);
        }

        foreach (var argument in launch.Arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in launch.Environment)
        {
            info.Environment[name] = value;
        }

        info.Environment[ParentPidVariable] = Environment.ProcessId.ToString(CultureInfo.InvariantCulture);

        // When this launch began (Unix ms), for a worker's start-up breakdown (HEARTH_STARTUP_TRACE).
        info.Environment["HEARTH_SPAWNED_AT_MS"] = (now - DateTimeOffset.UnixEpoch).TotalMilliseconds
            .ToString("F3", CultureInfo.InvariantCulture);
        return info;
    }

    // A safety net for a host that exits without disposing the provider: kill what is left, synchronously.
    private void OnHostExit(object? sender, EventArgs e)
    {
        foreach (var worker in workers.Values)
        {
            worker.StopRequested = true;
            KillTree(worker);
        }
    }
}

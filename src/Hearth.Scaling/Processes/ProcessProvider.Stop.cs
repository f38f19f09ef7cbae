using System.Runtime.InteropServices;

namespace Hearth.Scaling.Processes;

public sealed partial class ProcessProvider
{
    /// <summary>
    /// Asks a worker to stop (SIGTERM), waits up to <paramref name="drain"/> for it to exit, then kills its whole
    /// process tree. Completes after <see cref="Exited"/> was raised; an unknown or already exited worker is a no-op.
    /// </summary>
    /// <param name="workerId">The worker to stop.</param>
    /// <param name="drain">How long the worker may take to finish its jobs and exit.</param>
    /// <param name="cancellationToken">Cuts the drain short; the worker is then killed at once.</param>
    /// <returns>Completes when the worker has exited.</returns>
    public async Task StopAsync(string workerId, TimeSpan drain, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workerId);
        ArgumentOutOfRangeException.ThrowIfLessThan(drain, TimeSpan.Zero);
        if (!workers.TryGetValue(workerId, out var worker))
        {
            return;
        }

        worker.StopRequested = true;
        Log.Stopping(logger, workerId, drain);
        if (!SendTerm(worker))
        {
            KillTree(worker);
        }

        try
        {
            await worker.Monitor.WaitAsync(drain, time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            Log.DrainExpired(logger, workerId, drain);
            KillTree(worker);
        }
        catch (OperationCanceledException)
        {
            KillTree(worker);
            await worker.Monitor.ConfigureAwait(false);
            throw;
        }

        await worker.Monitor.ConfigureAwait(false);
    }

    private bool SendTerm(RunningWorker worker)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
        {
            return false;
        }

        try
        {
            // Once reaped, the pid may be reused by an unrelated process: never signal an exited worker's pid.
            if (worker.Process.HasExited)
            {
                return true;
            }
        }
        catch (Exception e) when (e is InvalidOperationException or ObjectDisposedException)
        {
            return true;
        }

        if (NativeMethods.Kill(worker.Handle.ProcessId, NativeMethods.SigTerm) == 0)
        {
            return true;
        }

        Log.SignalFailed(logger, worker.Handle.WorkerId, Marshal.GetLastPInvokeError());
        return false;
    }

    private static void KillTree(RunningWorker worker)
    {
        try
        {
            worker.Process.Kill(entireProcessTree: true);
        }
        catch (Exception e) when (e is InvalidOperationException or ObjectDisposedException)
        {
            // Already exited (and maybe already disposed by the monitor): nothing of the leader left to kill.
        }

        KillLeftovers(worker);
    }

    /// <summary>Kills what is left of the worker's process group, such as children its exit orphaned.</summary>
    private static void KillLeftovers(RunningWorker worker)
    {
        // The group id is the leader's pid; the kernel keeps that id reserved while any group member lives, so this
        // reaches the worker's own descendants or (once they are gone) nobody.
        if (worker.OwnsProcessGroup)
        {
            _ = NativeMethods.Kill(-worker.Handle.ProcessId, NativeMethods.SigKill);
        }
    }
}

namespace Hearth.Scaling.Processes;

public sealed partial class ProcessProvider
{
    private async Task MonitorAsync(RunningWorker worker)
    {
        var id = worker.Handle.WorkerId;
        var stdout = PumpAsync(id, worker.Process.StandardOutput, tail: null);
        var stderr = PumpAsync(id, worker.Process.StandardError, worker.Stderr);
        await worker.Process.WaitForExitAsync().ConfigureAwait(false);
        KillLeftovers(worker);
        try
        {
            await Task.WhenAll(stdout, stderr).WaitAsync(options.OutputGrace, time).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            Log.OutputCut(logger, id, options.OutputGrace);
        }

        var exit = new WorkerExited(id, worker.Handle.Endpoint, worker.Process.ExitCode, worker.Stderr.Snapshot(),
            worker.StopRequested);
        workers.TryRemove(id, out _);
        worker.Process.Dispose();
        Log.Exited(logger, id, exit.ExitCode, exit.Requested);
        try
        {
            Exited?.Invoke(this, exit);
        }
#pragma warning disable CA1031 // A subscriber's bug must not stop the bookkeeping of other workers.
        catch (Exception e)
#pragma warning restore CA1031
        {
            Log.SubscriberFailed(logger, id, e);
        }
    }

    private async Task PumpAsync(string workerId, StreamReader reader, StderrTail? tail)
    {
        try
        {
            while (await reader.ReadLineAsync().ConfigureAwait(false) is { } line)
            {
                tail?.Add(line);
                Forward(workerId, line);
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            // The process was disposed after the output grace ran out; the rest of the output is dropped.
        }
    }

    private void Forward(string workerId, string line)
    {
        if (options.OutputSink is not { } sink)
        {
            Log.Output(logger, workerId, line);
            return;
        }

        try
        {
            sink(workerId, line);
        }
#pragma warning disable CA1031 // A failing sink must not stop reading, or the worker blocks on a full pipe.
        catch (Exception e)
#pragma warning restore CA1031
        {
            Log.SinkFailed(logger, workerId, e);
        }
    }
}

using Hearth.Worker;
using Microsoft.Extensions.Logging;

namespace Hearth.App.Hosting;

/// <summary>The app in its worker role: one endpoint's handler, pulling from a control plane named by the Runpod
/// env.</summary>
internal static class WorkerRole
{
    public static async Task<int> RunAsync(string endpoint, JobHandler handler, CancellationToken cancellationToken)
    {
        var options = WorkerOptions.FromEnvironment();
        var problems = options.Problems();
        if (problems.Count > 0)
        {
            await Console.Error.WriteLineAsync(
                $"worker for '{endpoint}' cannot start:\n  " + string.Join("\n  ", problems)).ConfigureAwait(false);
            return 2;
        }

        using var loggers = LoggerFactory.Create(
            b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning));
        using var signal = new ShutdownSignal(cancellationToken);
        using var telemetry = WorkerTelemetry.Start(endpoint);
        using var worker = new HearthWorker(handler, options, TimeProvider.System,
            loggers.CreateLogger<HearthWorker>());

        // The line dev waits for (the same one the Python sample worker prints).
        worker.Ready += (_, _) => Console.Out.WriteLine($"worker {worker.WorkerId} ready");
        await worker.RunAsync(signal.Token).ConfigureAwait(false);
        return 0;
    }
}

using Hearth.App.Endpoints;
using Hearth.Worker;
using Microsoft.Extensions.Logging;

namespace Hearth.App.Hosting;

/// <summary>The app in its worker role: one endpoint's handler, pulling from a control plane named by the Runpod
/// env.</summary>
internal static class WorkerRole
{
    /// <summary>The worker role of <paramref name="endpoint"/>'s handler among the app's endpoints; 2 when it has
    /// none.</summary>
    public static async Task<int> RunAsync(
        IReadOnlyList<EndpointRegistration> endpoints, string endpoint, CancellationToken cancellationToken)
    {
        var registration = endpoints.FirstOrDefault(e => e.Builder.Build().Name == endpoint);
        if (registration?.Handler is null)
        {
            await Console.Error.WriteLineAsync(
                $"This app has no handler for endpoint '{endpoint}'. Endpoints with handlers: " +
                string.Join(", ", endpoints.Where(e => e.Handler is not null).Select(e => e.Builder.Build().Name)))
                .ConfigureAwait(false);
            return 2;
        }

        return await RunAsync(endpoint, registration.Handler, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<int> RunAsync(string endpoint, JobHandler handler, CancellationToken cancellationToken)
    {
        var options = WorkerOptions.FromEnvironment();
        var problems = options.Problems();
        if (problems.Count > 0)
        {
            await Console.Error.WriteLineAsync(
                $"worker for '{endpoint}' cannot start:\n  " + string.Join("\n  ", problems)).ConfigureAwait(false);
            return 2;
        }

        using var loggers = new LoggerFactory([new LineLogger.Provider(LogLevel.Warning, Console.Error)],
            new LoggerFilterOptions { MinLevel = LogLevel.Warning });
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

using Hearth.App.Endpoints;
using Hearth.Worker;

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

        using var telemetry = WorkerTelemetry.Start(endpoint);
        return await WorkerMain.RunAsync(registration.Handler, endpoint, cancellationToken).ConfigureAwait(false);
    }
}

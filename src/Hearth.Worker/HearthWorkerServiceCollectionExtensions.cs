using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Hearth.Worker;

/// <summary>Hosts Hearth workers in any .NET app (a generic host, an ASP.NET Core app).</summary>
public static class HearthWorkerServiceCollectionExtensions
{
    /// <summary>
    /// Runs <paramref name="handler"/> as a worker for as long as the host runs: it takes jobs, heartbeats, obeys stop
    /// signals and drains on shutdown (set the host's <c>ShutdownTimeout</c> above
    /// <see cref="WorkerOptions.DrainWindow"/>). Call once per endpoint this app serves.
    /// </summary>
    /// <param name="services">The host's services.</param>
    /// <param name="handler">The endpoint's handler.</param>
    /// <param name="options">
    /// Where the worker connects and who it is; default: <see cref="WorkerOptions.FromEnvironment()"/> (the Runpod
    /// variables <c>hearth dev</c>, node agents and Runpod set). Invalid options stop the host at start with every
    /// problem named.
    /// </param>
    /// <returns>The services, for chaining.</returns>
    public static IServiceCollection AddHearthWorker(
        this IServiceCollection services, JobHandler handler, Func<IServiceProvider, WorkerOptions>? options = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(handler);
        services.AddSingleton<IHostedService>(sp => new HearthWorker(
            handler,
            options?.Invoke(sp) ?? WorkerOptions.FromEnvironment(),
            sp.GetService<TimeProvider>(),
            sp.GetService<ILogger<HearthWorker>>()));
        return services;
    }
}

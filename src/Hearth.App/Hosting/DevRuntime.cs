using Hearth.App.Endpoints;
using Hearth.App.Gpus;
using Hearth.Store;
using Microsoft.Extensions.Options;

namespace Hearth.App.Hosting;

/// <summary>
/// What <c>dev</c> runs — the control plane on the embedded store plus the endpoints' worker processes — started
/// in-process for an app that drives it itself (a demo, a test): it knows the address and keys, and stops it all
/// (drained) when disposed. <c>dev</c>'s own command prints to the console; this writes to the log it is given.
/// </summary>
public sealed class DevRuntime : IAsyncDisposable
{
    private readonly ControlPlane _plane;
    private readonly DevSupervisor _supervisor;

    private DevRuntime(ControlPlane plane, DevSupervisor supervisor, string? notice)
    {
        _plane = plane;
        _supervisor = supervisor;
        GpuNotice = notice;
    }

    /// <summary>Base URL of the control plane, e.g. http://127.0.0.1:8080; the dashboard is at <c>/</c>.</summary>
    public string Address => _plane.Address;

    /// <summary>The client API key.</summary>
    public string ApiKey => _plane.ApiKey;

    /// <summary>The admin key (admin API under <c>/api</c>).</summary>
    public string AdminKey => _plane.AdminKey;

    /// <summary>Where the store is, for a person.</summary>
    public string StoreDescription => _plane.StoreDescription;

    /// <summary>The one-line notice when GPU endpoints run on CPU (no GPU here); null otherwise.</summary>
    public string? GpuNotice { get; }

    /// <summary>Completes when every worker started at launch has asked for its first job.</summary>
    public Task Ready => _supervisor.AllReady;

    /// <summary>Starts the control plane and the workers; throws <see cref="InvalidOperationException"/> listing every problem in the definitions.</summary>
    internal static async Task<DevRuntime> StartAsync(IReadOnlyList<EndpointRegistration> code, AppSettings settings, TextWriter log, CancellationToken cancellationToken)
    {
        var (endpoints, problems) = EndpointSet.Resolve(code, settings.Config, needWorkers: true);
        var (placement, notice, gpuProblems) = problems.Count > 0 ? (null, null, problems)
            : await GpuSetup.BuildAsync(settings, [.. endpoints.Select(e => e.Spec)], cancellationToken).ConfigureAwait(false);
        if (gpuProblems.Count > 0)
        {
            throw new InvalidOperationException($"{gpuProblems.Count} problem(s) in the endpoint definitions:\n  " + string.Join("\n  ", gpuProblems));
        }

        ControlPlane plane;
        try
        {
            plane = await ControlPlane.StartAsync(settings, [.. endpoints.Select(e => e.Spec)], settings.ApiKey ?? AppSettings.NewKey("hk_"), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is StoreConfigurationException or OptionsValidationException)
        {
            throw new InvalidOperationException($"hearth dev: {e.Message}", e);
        }

        try
        {
            var supervisor = await DevSupervisor.StartAsync(plane, endpoints, new Volumes(settings.Data), placement!, log, settings.Quiet, cancellationToken).ConfigureAwait(false);
            return new DevRuntime(plane, supervisor, notice);
        }
        catch
        {
            await plane.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Drains and stops the workers, then the control plane.</summary>
    public async ValueTask DisposeAsync()
    {
        await _supervisor.DisposeAsync().ConfigureAwait(false);
        await _plane.DisposeAsync().ConfigureAwait(false);
    }
}

using Hearth.App.Endpoints;
using Hearth.App.Gpus;
using Hearth.Core.Endpoints;
using Hearth.Store;
using Microsoft.Extensions.DependencyInjection;
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

    private DevRuntime(ControlPlane plane, DevSupervisor supervisor, string? notice, IReadOnlyList<EndpointSpec> specs)
    {
        _plane = plane;
        _supervisor = supervisor;
        GpuNotice = notice;
        Specs = specs;
    }

    /// <summary>The control plane (for <c>dev</c>'s own banner).</summary>
    internal ControlPlane Plane => _plane;

    /// <summary>The endpoints it serves.</summary>
    internal IReadOnlyList<EndpointSpec> Specs { get; }

    /// <summary>A dashboard link with a one-time sign-in token (valid while this runtime runs).</summary>
    public string NewDashboardLink() => _plane.NewDashboardLink();

    /// <summary>
    /// Writes the job's trace as a terminal waterfall (what <c>hearth jobs trace</c> prints), waiting up to
    /// <paramref name="settle"/> for the workers' last span reports (they are batched every 0.5 s).
    /// </summary>
    public async Task WriteTraceAsync(
        string jobId, TextWriter output, TimeSpan settle, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(output);
        using var http = new HttpClient { BaseAddress = new Uri(Address) };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer",
            AdminKey);
        var time = _plane.Services.GetRequiredService<TimeProvider>();
        var started = time.GetTimestamp();
        while (true)
        {
            using var response = await http.GetAsync($"/api/jobs/{Uri.EscapeDataString(jobId)}/trace",
                cancellationToken).ConfigureAwait(false);
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            using var trace = System.Text.Json.JsonDocument.Parse(body);
            var open = response.IsSuccessStatusCode && trace.RootElement.GetProperty("spans").EnumerateArray()
                .Any(span => span.GetProperty("open").GetBoolean());
            if (!response.IsSuccessStatusCode || !open || time.GetElapsedTime(started) >= settle)
            {
                if (response.IsSuccessStatusCode)
                {
                    Jobs.TraceWaterfall.Write(trace.RootElement, output);
                }
                else
                {
                    await output.WriteLineAsync($"trace of {jobId}: {(int)response.StatusCode} {body}")
                        .ConfigureAwait(false);
                }

                return;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250), time, cancellationToken).ConfigureAwait(false);
        }
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

    /// <summary>Starts the control plane and the workers; throws <see cref="InvalidOperationException"/> listing every
    /// problem in the definitions.</summary>
    /// <param name="code">The endpoints declared in code.</param>
    /// <param name="settings">Where and how to run.</param>
    /// <param name="log">Where the workers' lines go.</param>
    /// <param name="cancellationToken">Stops the start.</param>
    /// <param name="planeStarted">Called once the control plane listens, before any worker starts (dev prints its
    /// banner there).</param>
    /// <param name="beforeWorkers">Awaited after <paramref name="planeStarted"/>, before any worker starts (an app
    /// queues its first job there).</param>
    internal static async Task<DevRuntime> StartAsync(
        IReadOnlyList<EndpointRegistration> code, AppSettings settings, TextWriter log,
        CancellationToken cancellationToken,
        Action<ControlPlane, IReadOnlyList<EndpointSpec>, string?>? planeStarted = null,
        Func<ControlPlane, Task>? beforeWorkers = null)
    {
        var (endpoints, problems) = EndpointSet.Resolve(code, settings.Config, needWorkers: true);
        var (host, notice, gpuProblems) = problems.Count > 0 ? (null, null, problems)
            : await GpuSetup.BuildAsync(settings, [.. endpoints.Select(e => e.Spec)], cancellationToken)
                .ConfigureAwait(false);
        if (gpuProblems.Count > 0)
        {
            throw new DevStartException(
                $"{gpuProblems.Count} problem(s) in the endpoint definitions:\n  " + string.Join("\n  ", gpuProblems));
        }

        ControlPlane plane;
        try
        {
            plane = await ControlPlane.StartAsync(settings, [.. endpoints.Select(e => e.Spec)],
                settings.ApiKey ?? AppSettings.NewKey("hk_"), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is StoreConfigurationException or OptionsValidationException
            or StartupProblemException)
        {
            throw new DevStartException($"hearth dev: {e.Message}", e);
        }

        try
        {
            var specs = endpoints.Select(e => e.Spec).ToList();
            planeStarted?.Invoke(plane, specs, notice);
            if (beforeWorkers is not null)
            {
                await beforeWorkers(plane).ConfigureAwait(false);
            }

            var supervisor = await DevSupervisor.StartAsync(plane, endpoints, new Volumes(settings.Data), host!.Node,
                host.CpuFallback, settings, log, cancellationToken).ConfigureAwait(false);
            return new DevRuntime(plane, supervisor, notice, specs);
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

/// <summary>The endpoints or the store cannot be started; the message lists every problem and its fix.</summary>
public sealed class DevStartException : InvalidOperationException
{
    /// <summary>Creates the exception.</summary>
    public DevStartException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public DevStartException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public DevStartException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

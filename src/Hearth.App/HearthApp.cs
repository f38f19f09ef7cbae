using Hearth.App.Endpoints;
using Hearth.App.Hosting;

namespace Hearth.App;

/// <summary>
/// The app host. Declare endpoints, then run: with no command or <c>dev</c>, the app brings up the control plane on the
/// embedded store and its workers as child processes; <c>worker --endpoint NAME</c> runs one worker (what <c>dev</c>
/// launches); <c>serve</c> runs the control plane alone.
/// <code>
/// var app = HearthApp.Create(args);
/// app.Endpoint("web-retrieval", e => e.Cpu("cpu5c-4-8").Workers(0, 10))
///     .Handle&lt;ScrapeRequest, ScrapeResult&gt;(Scrape);
/// return await app.RunAsync();
/// </code>
/// </summary>
public sealed class HearthApp
{
    private readonly string[] _args;
    private readonly List<EndpointRegistration> _endpoints = [];

    private HearthApp(string[] args)
    {
        Worker.StartupTrace.AppStarted(TimeProvider.System);
        _args = args;
    }

    /// <summary>Creates an app from the process arguments.</summary>
    public static HearthApp Create(string[] args) => new(args ?? []);

    /// <summary>Declares an endpoint; attach its handler with <c>.Handle(...)</c> or <c>.Stream(...)</c>.</summary>
    public EndpointRegistration Endpoint(string name, Action<EndpointBuilder>? configure = null)
    {
        var builder = new EndpointBuilder(name);
        configure?.Invoke(builder);
        var registration = new EndpointRegistration(builder);
        _endpoints.Add(registration);
        return registration;
    }

    /// <summary>Runs the command line and returns the exit code.</summary>
    public Task<int> RunAsync(CancellationToken cancellationToken = default)
    {
        // The worker role as dev and node agents launch it goes straight to the worker: building the whole command
        // line costs a cold start ~10–30 ms (bench/cold-start.py).
        if (_args is ["worker", "--endpoint", var endpoint])
        {
            return WorkerRole.RunAsync(_endpoints, endpoint, cancellationToken);
        }

        var args = _args.Length == 0 || _args[0].StartsWith('-') && _args[0] is not ("-h" or "--help" or "--version")
            ? ["dev", .. _args] : _args;
        return AppCommands.Build(_endpoints).Parse(args).InvokeAsync(cancellationToken: cancellationToken);
    }

    /// <summary>
    /// Starts what <c>dev</c> runs (control plane on the embedded store + this app's workers) inside this process and
    /// returns a handle with its address and keys; disposing it drains and stops everything. For apps that drive the
    /// runtime themselves, such as a demo that submits a job and prints the answer.
    /// </summary>
    public Task<DevRuntime> StartDevAsync(
        AppSettings? settings = null, TextWriter? log = null, CancellationToken cancellationToken = default) =>
        DevRuntime.StartAsync(_endpoints, settings ?? new AppSettings(), log ?? TextWriter.Null, cancellationToken);

    /// <summary>
    /// <see cref="StartDevAsync(AppSettings?, TextWriter?, CancellationToken)"/>, awaiting
    /// <paramref name="listening"/> with the control plane's address and API key as soon as it listens, before any
    /// worker starts: an app can queue its first job there, and the job then waits out the workers' cold start in the
    /// queue (its trace shows it) instead of the app waiting for every worker.
    /// </summary>
    public Task<DevRuntime> StartDevAsync(AppSettings settings, TextWriter log, Func<string, string, Task> listening,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(listening);
        return DevRuntime.StartAsync(_endpoints, settings, log, cancellationToken,
            beforeWorkers: plane => listening(plane.Address, plane.ApiKey));
    }

    /// <summary>Runs the command line, blocking; returns the exit code.</summary>
    public int Run() => RunAsync().GetAwaiter().GetResult();
}

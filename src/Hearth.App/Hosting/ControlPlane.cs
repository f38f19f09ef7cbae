using System.Net;
using System.Net.Sockets;
using Hearth.Core.Endpoints;
using Hearth.Core.Jobs;
using Hearth.Server.Admin;
using Hearth.Server.Auth;
using Hearth.Server.Hosting;
using Hearth.Server.Webhooks;
using Hearth.Store;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Hearth.App.Hosting;

/// <summary>Builds and starts the control plane for a set of endpoint specs; shared by <c>dev</c> and
/// <c>serve</c>.</summary>
internal sealed class ControlPlane : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ControlPlane(WebApplication app, string address, string apiKey, string adminKey,
        IReadOnlyDictionary<string, string> workerTokens)
    {
        _app = app;
        AdminKey = adminKey;
        Address = address;
        ApiKey = apiKey;
        WorkerTokens = workerTokens;
    }

    /// <summary>Base URL, e.g. http://127.0.0.1:8080.</summary>
    public string Address { get; }

    /// <summary>
    /// Per endpoint that declares <c>calls</c>, the client key its workers use for <c>ctx.CallAsync</c>: it may only
    /// run and read jobs on the declared endpoints (least privilege: a handler running model-chosen tool code cannot
    /// cancel, purge or read anything else). Endpoints that declare none have no call key.
    /// </summary>
    public IReadOnlyDictionary<string, string> CallKeys { get; private init; } = new Dictionary<string, string>();

    /// <summary>The admin key.</summary>
    public string AdminKey { get; }

    /// <summary>The client API key.</summary>
    public string ApiKey { get; }

    /// <summary>One worker token per endpoint: a worker can only pull from its own endpoint.</summary>
    public IReadOnlyDictionary<string, string> WorkerTokens { get; }

    /// <summary>Where the store is, for a person.</summary>
    public string StoreDescription => _app.Services.GetRequiredService<StoreHost>().Description;

    /// <summary>What the store check wants a person to know (a loss window, an unreadable setting).</summary>
    public IReadOnlyList<string> StoreWarnings => _app.Services.GetRequiredService<StoreHost>().Warnings;

    /// <summary>In-process wake-ups (work arriving), so the scheduler reacts to a submit at once.</summary>
    public Hearth.Server.Jobs.JobSignals Signals => _app.Services.GetRequiredService<Hearth.Server.Jobs.JobSignals>();

    /// <summary>The Hearth meter's instruments (cold starts are measured by the scheduler).</summary>
    public Hearth.Server.Observability.HearthMetrics Metrics =>
        _app.Services.GetRequiredService<Hearth.Server.Observability.HearthMetrics>();

    /// <summary>The store.</summary>
    public IHearthStore Store => _app.Services.GetRequiredService<IHearthStore>();

    /// <summary>Lets the admin API describe this host's workers.</summary>
    public void UseWorkerDirectory(IWorkerDirectory directory) =>
        _app.Services.GetRequiredService<WorkerDirectoryHolder>().Inner = directory;

    /// <summary>A dashboard link carrying a new one-time sign-in token (the page trades it for a session
    /// cookie).</summary>
    public string NewDashboardLink() => $"{Address}/?token="
        + $"{_app.Services.GetRequiredService<Hearth.Server.Dashboard.DashboardSessions>().IssueLoginToken()}";

    /// <summary>The service provider of the control plane (node registry, leadership…).</summary>
    public IServiceProvider Services => _app.Services;

    /// <summary>The server settings in force (lease, heartbeat…).</summary>
    public HearthServerOptions Options =>
        _app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<HearthServerOptions>>().Value;

    public static async Task<ControlPlane> StartAsync(
        AppSettings settings, IReadOnlyList<EndpointSpec> specs, string apiKey, CancellationToken cancellationToken)
    {
        CheckPortFree(settings);
        var adminKey = settings.AdminKey ?? AppSettings.NewKey("ha_");
        var callKeys = specs.Where(s => s.Calls.Count > 0)
            .ToDictionary(s => s.Name, _ => AppSettings.NewKey("hk_call_"), StringComparer.Ordinal);
        var tokens = specs.ToDictionary(s => s.Name, _ => settings.WorkerToken ?? AppSettings.NewKey("hw_"),
            StringComparer.Ordinal);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);

        // The store's own events are rare and an operator wants them: each checkpoint, the disk budget closing and
        // reopening.
        builder.Logging.AddFilter("Hearth.Server.Storage", LogLevel.Information);

        // The app decides when to stop (after draining its workers), not the default console lifetime.
        builder.Services.AddSingleton<IHostLifetime, ManualLifetime>();
        builder.Services.AddSingleton<WorkerDirectoryHolder>();
        builder.Services.AddSingleton<IWorkerDirectory>(sp => sp.GetRequiredService<WorkerDirectoryHolder>());
        builder.WebHost.UseUrls($"http://{settings.Host}:{settings.Port}");
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = JobLimits.MaxRunSyncBodyBytes);
        var hearth = builder.Services.AddHearthServer(o =>
        {
            foreach (var spec in specs)
            {
                o.Endpoints.Add(new EndpointOptions
                {
                    Name = spec.Name,
                    ExecutionTimeoutMs = spec.ExecutionTimeoutMs is null or 0
                        ? JobLimits.DefaultExecutionTimeoutMs : spec.ExecutionTimeoutMs.Value,
                    TtlMs = spec.TtlMs ?? JobLimits.DefaultTtlMs,
                    MaxExecutionTimeoutMs = spec.MaxExecutionTimeoutMs ?? JobLimits.MaxPolicyMs,
                    MaxTtlMs = spec.MaxTtlMs ?? JobLimits.MaxPolicyMs,
                    SessionIdleMs = (long)spec.SessionIdle.TotalMilliseconds,
                });
                if (settings.WorkerToken is null)
                {
                    o.WorkerTokens.Add(new WorkerTokenOptions { Token = tokens[spec.Name], Endpoint = spec.Name });
                }
            }

            if (settings.WorkerToken is not null)
            {
                o.WorkerTokens.Add(new WorkerTokenOptions { Token = settings.WorkerToken, Endpoint = "*" });
            }

            // Workers on this host ping every 2 s (runpod-python's default is 10 s): a runaway job is noticed within
            // seconds, and a heartbeat on loopback costs next to nothing.
            // A shorter lease (HEARTH_LEASE_MS) is for tests and demos of worker loss; heartbeats stay within a third.
            o.Lease = settings.Lease ?? o.Lease;
            o.HeartbeatInterval = TimeSpan.FromMilliseconds(Math.Min(2000, o.Lease.TotalMilliseconds / 3));
            if (settings.NodeToken is { } nodeToken)
            {
                o.NodeTokens.Add(nodeToken);
            }

            // Shorter node timings (HEARTH_NODE_HEARTBEAT_MS / HEARTH_NODE_LOST_MS) are for tests and demos.
            if (settings.NodeHeartbeat is { } nodeBeat)
            {
                o.NodeHeartbeatInterval = nodeBeat;
                o.NodeLostAfter = nodeBeat * 3;
            }

            o.NodeLostAfter = settings.NodeLostAfter ?? o.NodeLostAfter;
            o.ClientKeys.Add(new ClientKeyOptions { Key = apiKey });
            foreach (var spec in specs.Where(s => callKeys.ContainsKey(s.Name)))
            {
                var call = new ClientKeyOptions
                {
                    Key = callKeys[spec.Name],
                    Operations = ClientOperations.Run | ClientOperations.Read,
                };
                call.Endpoints.Clear();
                spec.Calls.ToList().ForEach(call.Endpoints.Add);
                o.ClientKeys.Add(call);
            }
            o.AdminKey = adminKey;
            o.MetricsKey = settings.MetricsKey;
            o.RateLimits.Enabled = settings.RateLimits == "runpod";
            foreach (var proxy in settings.TrustedProxies)
            {
                o.TrustedProxies.Add(proxy);
            }
        });
        // Webhook settings (signing secret, allowed private ranges, retries, per-target limits) from the
        // configuration section 'Webhooks': environment variables Webhooks__SigningSecret or
        // HEARTH_Webhooks__SigningSecret, Webhooks__AllowedCidrs__0, ... (docs/deploy.md).
        builder.Configuration.AddEnvironmentVariables("HEARTH_");
        builder.Services.Configure<WebhookOptions>(builder.Configuration.GetSection(WebhookOptions.SectionName));
        if (settings.WebhookSecretFile is { } secretFile)
        {
            var secret = ReadSecretFile(secretFile);
            builder.Services.PostConfigure<WebhookOptions>(o => o.SigningSecret = secret);
        }
        if (string.Equals(settings.Store, StoreOptions.Embedded, StringComparison.OrdinalIgnoreCase))
        {
            hearth.UseEmbeddedStore(settings.Data, o =>
            {
                o.Durability = settings.Durability;
                o.Growth = settings.Growth;
                o.EmbeddedMemory = settings.StoreMemory;
                o.EmbeddedIndex = settings.StoreIndex;
                o.MaxDisk = settings.StoreMaxDisk;
                o.CheckpointLog = settings.StoreCheckpointLog;
            });
        }
        else
        {
            hearth.UseRedisStore(settings.Store, o =>
            {
                o.Durability = settings.Durability;
                o.Growth = settings.Growth;
            });
        }

        var app = builder.Build();
        app.UseHearth();
        app.MapHearth();
        try
        {
            // The store opens before the host starts: one that cannot (a read-only or locked data directory) is then
            // the caller's one-line message, not also a "Hosting failed to start" log with a stack trace.
            _ = app.Services.GetRequiredService<StoreHost>();
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IOException e) when (e.InnerException is AddressInUseException)
        {
            // Taken between the check and the start: the host has logged it too.
            await app.DisposeAsync().ConfigureAwait(false);
            throw PortInUse(settings, e);
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        var address = app.Services.GetRequiredService<IServer>()
            .Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new ControlPlane(app, address, apiKey, adminKey, tokens) { CallKeys = callKeys };
    }

    /// <summary>
    /// A port already taken is the operator's one-line message before anything starts (the web host would log a
    /// stack trace of its own first). A listener is bound and closed at once; 0 and host names are left to Kestrel.
    /// </summary>
    private static void CheckPortFree(AppSettings settings)
    {
        if (settings.Port == 0 || !IPAddress.TryParse(settings.Host, out var address))
        {
            return;
        }

        var probe = new TcpListener(address, settings.Port);
        try
        {
            probe.Start();
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            throw PortInUse(settings, e);
        }
        finally
        {
            probe.Stop();
        }
    }

    private static StartupProblemException PortInUse(AppSettings settings, Exception cause) => new(
        $"port {settings.Port} on {settings.Host} is already in use (another hearth dev or serve?). Stop that "
        + $"process, or listen elsewhere: --port {settings.Port + 1}, or --port 0 for any free port.", cause);

    /// <summary>The secret in a file (surrounding white space dropped), or a start-up error naming the fix.</summary>
    private static string ReadSecretFile(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path).Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new OptionsValidationException("Webhooks", typeof(WebhookOptions),
                [$"--webhook-secret-file {path} cannot be read: {e.Message}. Point it at a readable file."]);
        }

        return text.Length > 0 ? text : throw new OptionsValidationException("Webhooks", typeof(WebhookOptions),
            [$"--webhook-secret-file {path} is empty; put the signing secret (whsec_…) in it."]);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>The directory the admin API asks; filled in once the workers' supervisor exists.</summary>
    private sealed class WorkerDirectoryHolder : IWorkerDirectory
    {
        public IWorkerDirectory? Inner { get; set; }

        public EndpointStatus? Describe(string endpoint) => Inner?.Describe(endpoint);
    }

    /// <summary>A lifetime that neither hooks signals nor stops the host by itself.</summary>
    private sealed class ManualLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}

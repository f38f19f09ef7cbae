using Hearth.Server.Admin;
using Hearth.Server.Api;
using Hearth.Server.Auth;
using Hearth.Server.Dashboard;
using Hearth.Server.Jobs;
using Hearth.Server.Observability;
using Hearth.Server.Webhooks;
using Hearth.Store;
using Hearth.Store.Audit;
using Hearth.Store.Keys;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Hearth.Server.Hosting;

/// <summary>Entry points: <c>services.AddHearthServer(...)</c> and <c>app.MapHearth()</c> — the calls the CLI
/// makes.</summary>
public static class HearthServerServiceCollectionExtensions
{
    /// <summary>Registers the control plane. Internals are added with <c>TryAdd</c> so an app can replace
    /// them.</summary>
    public static HearthServerBuilder AddHearthServer(
        this IServiceCollection services, Action<HearthServerOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<HearthServerOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.ValidateOnStart();
        services.TryAddEnumerable(
            ServiceDescriptor.Singleton<IValidateOptions<HearthServerOptions>, HearthServerOptionsValidator>());
        services.AddOptions<WebhookOptions>().ValidateOnStart();
        services.TryAddEnumerable(
            ServiceDescriptor.Singleton<IValidateOptions<WebhookOptions>, WebhookOptionsValidator>());

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => StoreHost.Open(sp.GetRequiredService<IOptions<StoreOptions>>().Value,
            sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton(sp => sp.GetRequiredService<StoreHost>().Store);

        // One store, taken by concern: a caller names the part it uses.
        services.TryAddSingleton<IJobStore>(sp => sp.GetRequiredService<IHearthStore>());
        services.TryAddSingleton<ILeaseStore>(sp => sp.GetRequiredService<IHearthStore>());
        services.TryAddSingleton<ISessionStore>(sp => sp.GetRequiredService<IHearthStore>());
        services.TryAddSingleton<IEndpointStore>(sp => sp.GetRequiredService<IHearthStore>());
        services.TryAddSingleton<KeyRing>();
        services.TryAddSingleton<AuthFailures>();
        services.AddClientRateLimits();
        services.TryAddSingleton(sp => new KeyRegistry(sp.GetRequiredService<StoreHost>().Connection));
        services.TryAddSingleton<KeyRefresher>();
        services.AddHostedService(sp => sp.GetRequiredService<KeyRefresher>());
        services.TryAddSingleton(sp => new AuditLog(sp.GetRequiredService<StoreHost>().Connection));
        services.TryAddSingleton<Audit.Auditor>();
        services.TryAddSingleton<JobSignals>();
        services.TryAddSingleton<JobService>();
        services.TryAddSingleton(sp => new DashboardSessions(
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<StoreHost>().Connection));
        services.TryAddSingleton<WebhookWakeup>();
        services.TryAddSingleton<WebhookTargets>();
        services.TryAddSingleton<WebhookDispatcher>();
        services.TryAddSingleton(sp =>
        {
            var webhooks = sp.GetRequiredService<IOptions<WebhookOptions>>().Value;
            return new WebhookSigner(webhooks.SigningSecret ?? WebhookSigner.GenerateSecret(),
                webhooks.PreviousSigningSecret);
        });
        services.TryAddSingleton<WebhookTargetGuard>();
        services.TryAddSingleton<WebhookSender>();
        services.TryAddSingleton<JobSweeper>();
        services.AddHostedService(sp => sp.GetRequiredService<JobSweeper>());
        services.AddHostedService(sp => sp.GetRequiredService<WebhookDispatcher>());
        services.AddHostedService<Storage.StoreMaintenanceService>();
        services.TryAddSingleton(
            sp => new Hearth.Store.Nodes.NodeRegistry(sp.GetRequiredService<StoreHost>().Connection));
        services.TryAddSingleton(sp =>
            new Hearth.Store.Nodes.EndpointBoard(sp.GetRequiredService<StoreHost>().Connection));
        services.TryAddSingleton<Nodes.ClusterLeadership>();
        services.TryAddSingleton<Scheduling.ProtocolDetector>();
        services.TryAddSingleton<SignalRelay>();
        services.AddHostedService(sp => sp.GetRequiredService<SignalRelay>());
        TelemetrySetup.AddHearthTelemetry(services);
        return new HearthServerBuilder(services);
    }

    /// <summary>Maps the client API and the worker API under <c>/v2/{endpoint}</c>, the admin API under <c>/api</c>,
    /// the dashboard at <c>/</c>, and Prometheus metrics at <c>/metrics</c>.</summary>
    public static IEndpointRouteBuilder MapHearth(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);

        // Every route answers a store outage the same way (503 with Retry-After, 507 when full), never a 500.
        var routes = app.MapGroup(string.Empty);
        routes.AddEndpointFilter(StoreFailure.FilterAsync);
        ClientRoutes.Map(routes);
        WorkerRoutes.Map(routes);
        AdminRoutes.Map(routes);
        SessionRoutes.Map(routes);
        StoreRoutes.Map(routes);
        KeyRoutes.Map(routes);
        AuditRoutes.Map(routes);
        Nodes.NodeRoutes.Map(routes);
        DashboardRoutes.Map(routes);
        TraceRoutes.Map(routes);
        app.MapPrometheusScrapingEndpoint(
            "/metrics",
            meterProvider: null,
            configureBranchedPipeline: branch => branch.Use(MetricsAccess.RequireAsync),
            optionsName: null);
        return app;
    }
}

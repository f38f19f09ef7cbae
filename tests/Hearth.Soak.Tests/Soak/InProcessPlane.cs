using Hearth.Server.Hosting;
using Hearth.Server.Webhooks;
using Hearth.Soak.Running;
using Hearth.Store;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Hearth.Soak.Tests.Soak;

/// <summary>
/// A control plane hosted in the test process (the same <c>AddHearthServer</c> and <c>MapHearth</c> the CLI runs) on
/// a real redis-server, with its store optionally replaced (a broken build); the soak's workers are real processes
/// (a <see cref="WorkerFleet"/>) reaching it through the chaos proxy. It also allow-lists the loopback webhook
/// receiver and signs with the soak's secret, which <c>hearth serve</c> cannot be told to do today.
/// </summary>
internal sealed class InProcessPlane(SoakContext soak, Func<IHearthStore, IHearthStore>? breakStore) : IControlPlane
{
    private readonly int _port = RedisServer.FreePort();
    private RedisServer? _redis;
    private WebApplication? _app;
    private WorkerFleet? _fleet;

    public string Name => breakStore is null ? "in-process" : "in-process, broken";

    public IReadOnlyList<string> ClientUrls => [$"http://127.0.0.1:{_port}"];

    public IReadOnlyList<int> WorkerPorts() => [_port];

    public IReadOnlyList<string> PlaneFaults => [];

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _redis = new RedisServer(Path.Combine(soak.Directory, "redis"), RedisServer.FreePort());
        await _redis.StartAsync(cancellationToken);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls(ClientUrls[0]);
        var lease = TimeSpan.FromMilliseconds(soak.Options.LeaseMs);
        builder.Services.AddHearthServer(o =>
        {
            foreach (var name in new[] { "soak", "soak-stream" })
            {
                o.Endpoints.Add(new EndpointOptions { Name = name, ExecutionTimeoutMs = SoakJobs.TimeoutMs });
            }

            o.ClientKeys.Add(new ClientKeyOptions { Key = soak.ApiKey });
            o.WorkerTokens.Add(new WorkerTokenOptions { Token = soak.WorkerToken, Endpoint = "*" });
            o.AdminKey = soak.AdminKey;
            o.Lease = lease;
            o.HeartbeatInterval = TimeSpan.FromMilliseconds(Math.Min(2000, lease.TotalMilliseconds / 3));
        }).UseRedisStore(_redis.Url);
        builder.Services.Configure<WebhookOptions>(o =>
        {
            o.AllowedCidrs.Add("127.0.0.0/8");
            o.SigningSecret = soak.WebhookSecret;
        });
        if (breakStore is not null)
        {
            builder.Services.AddSingleton(sp => breakStore(sp.GetRequiredService<StoreHost>().Store));
        }

        _app = builder.Build();
        _app.UseHearth();
        _app.MapHearth();
        await _app.StartAsync(cancellationToken);
        _fleet = new WorkerFleet(soak, ClientUrls[0]);
        _fleet.Start();
    }

    public Task ApplyAsync(string kind, Random random, CancellationToken cancellationToken) => throw new NotSupportedException(kind);

    public async ValueTask DisposeAsync()
    {
        if (_fleet is not null)
        {
            await _fleet.DisposeAsync();
        }

        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        _redis?.Dispose();
    }
}

using System.Net.Http.Headers;
using System.Text.Json;
using Hearth.Server.Hosting;
using Hearth.Store;
using Hearth.Worker;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Hearth.Bench.Load;

/// <summary>A real Hearth control plane in this process (Kestrel on loopback, the same DI as <c>hearth serve</c>).</summary>
internal sealed class BenchHost : IAsyncDisposable
{
    public const string ClientKey = "hk_bench";
    public const string WorkerToken = "hw_bench";
    public const string Noop = "noop";
    public const string Hang = "hang";
    public const string Sessions = "sess";

    private readonly WebApplication _app;
    private readonly string? _data;
    private readonly bool _keep;
    private bool _stopped;

    private BenchHost(WebApplication app, string? data, bool keep, Uri address, StoreHost store)
    {
        _app = app;
        _data = data;
        _keep = keep;
        Address = address;
        Store = store;
    }

    public Uri Address { get; }

    public StoreHost Store { get; }

    public string StoreName => _data is null ? "redis-server" : "Garnet";

    /// <summary>Starts it; an embedded store's <c>data</c> directory is kept when given (the caller removes it), else a fresh temporary one.</summary>
    public static async Task<BenchHost> StartAsync(
        string? redisUrl, StoreDurability durability = StoreDurability.FsyncAlways, TimeSpan? lease = null, string? embeddedMemory = "256m",
        string? data = null, bool tracing = true)
    {
        var keep = data is not null;
        data = redisUrl is null ? data ?? Path.Combine(Path.GetTempPath(), "hearth-bench-" + Guid.NewGuid().ToString("N")) : null;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var hearth = builder.Services.AddHearthServer(o =>
        {
            o.Endpoints.Add(new EndpointOptions { Name = Noop });
            o.Endpoints.Add(new EndpointOptions { Name = Hang, ExecutionTimeoutMs = Core.Jobs.JobLimits.MinExecutionTimeoutMs });
            o.Endpoints.Add(new EndpointOptions { Name = Sessions });
            o.ClientKeys.Add(new ClientKeyOptions { Key = ClientKey });
            o.WorkerTokens.Add(new WorkerTokenOptions { Token = WorkerToken });
            o.AdminKey = "ha_bench";
            if (lease is { } l)
            {
                o.Lease = l;
                o.HeartbeatInterval = l / 4;
            }
        });
        builder.Services.Configure<Hearth.Server.Observability.TracingOptions>(t => t.Enabled = tracing);
        _ = redisUrl is null
            ? hearth.UseEmbeddedStore(data!, s => { s.Durability = durability; s.EmbeddedMemory = embeddedMemory; })
            : hearth.UseRedisStore(redisUrl, s => s.Durability = StoreDurability.Memory);
        var app = builder.Build();
        app.UseHearth();
        app.MapHearth();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new BenchHost(app, data, keep, new Uri(address), app.Services.GetRequiredService<StoreHost>());
    }

    /// <summary>A client with its own connection pool, authenticated with the client key.</summary>
    public HttpClient Client(int maxConnections = 16) => new(new SocketsHttpHandler { MaxConnectionsPerServer = maxConnections })
    {
        BaseAddress = Address,
        Timeout = TimeSpan.FromSeconds(120),
        DefaultRequestHeaders = { Authorization = new AuthenticationHeaderValue("Bearer", ClientKey) },
    };

    /// <summary>A C# SDK worker (the one <c>hearth worker</c> runs) for <paramref name="endpoint"/>, not yet started.</summary>
    public HearthWorker Worker(string endpoint, int concurrency, Func<JsonElement, JobContext, CancellationToken, Task<JsonElement>> handler, string? id = null, TimeSpan? lease = null)
    {
        var options = new WorkerOptions
        {
            JobTakeUrl = $"{Address}v2/{endpoint}/job-take/$ID",
            JobDoneUrl = $"{Address}v2/{endpoint}/job-done/$RUNPOD_POD_ID/$ID",
            PingUrl = $"{Address}v2/{endpoint}/ping/$RUNPOD_POD_ID",
            ApiKey = WorkerToken,
            Concurrency = concurrency,
            DrainWindow = TimeSpan.FromSeconds(1),
        };
        if (id is not null)
        {
            options.WorkerId = id;
        }

        if (lease is { } l)
        {
            options.Lease = l;
            options.PingInterval = l / 4;
        }

        return new HearthWorker(JobHandler.Create(handler), options);
    }

    /// <summary>Jobs of <paramref name="endpoint"/> that reached COMPLETED so far (the store's counter).</summary>
    public async Task<long> CompletedAsync(string endpoint) =>
        (await Store.Store.CountAsync(endpoint, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), 60_000)).Completed;

    /// <summary>Stops the control plane and closes its store (a restart can then open the same directory).</summary>
    public async Task StopAsync()
    {
        if (_stopped)
        {
            return;
        }

        _stopped = true;
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        if (!_keep && _data is not null && Directory.Exists(_data))
        {
            Directory.Delete(_data, recursive: true);
        }
    }
}

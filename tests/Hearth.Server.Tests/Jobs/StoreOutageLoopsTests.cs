using System.Collections.Concurrent;
using System.Net;
using Hearth.Core.Jobs;
using Hearth.Server.Hosting;
using Hearth.Server.Tests.Fixtures;
using Hearth.Server.Tests.Webhooks;
using Hearth.Store;
using Hearth.Store.Jobs;
using Hearth.Store.Tests.Fixtures;
using Hearth.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Hearth.Server.Tests.Jobs;

/// <summary>
/// The control plane's background loops (sweeper, webhook dispatcher, trace recorder, metrics sampler, store
/// maintenance, the replica signal relay) meet a store outage, log it, and work again once it is back: none ends.
/// </summary>
public sealed class StoreOutageLoopsTests
{
    private static readonly TimeSpan Safety = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Every_background_loop_survives_a_store_outage_and_works_afterwards()
    {
        using var redis = RedisServerFixture.StartDurable();
        using var host = StoreHost.Open(new StoreOptions { Store = redis.Url, Durability = StoreDurability.Memory });
        await using var receiver = await WebhookReceiver.StartAsync(200);
        await using var server = await TestServer.StartAsync(host, o => o.Endpoints.Add(new EndpointOptions { Name = "loops" }));
        var log = new LogLines();
        server.Services.GetRequiredService<ILoggerFactory>().AddProvider(log);
        var store = server.Services.GetRequiredService<IHearthStore>();
        var now = server.Time.GetUtcNow().ToUnixTimeMilliseconds();
        await store.SubmitAsync("loops", new NewJob("held", "{\"id\":\"held\",\"input\":{}}", now, JobLimits.DefaultTtlMs,
            600_000, JobLimits.RunRetentionMs, false, null));
        Assert.Single(await store.TakeAsync("loops", "w1", 1, now, 30_000));

        // The loops running now (store maintenance has nothing to do on an external store, so it is not one).
        var loops = server.Services.GetServices<IHostedService>().OfType<BackgroundService>()
            .Where(l => l.ExecuteTask is { IsCompleted: false }).ToList();
        Assert.True(loops.Count >= 4, string.Join(", ", loops.Select(l => l.GetType().Name)));

        redis.Crash();
        server.Time.Advance(TimeSpan.FromSeconds(2));
        await server.Sweeper.SweepOnceAsync().WaitAsync(Safety);
        await Eventually.TrueAsync(() => log.Has("Sweep of loops failed") && log.Has("could not be claimed"),
            "the sweeper and the webhook dispatcher to meet the outage", seconds: 60);

        redis.Start();

        // The lease taken before the outage still expires and the job runs again.
        server.Time.Advance(TimeSpan.FromSeconds(31));
        await Eventually.TrueAsync(async () =>
        {
            await server.Sweeper.SweepOnceAsync();
            return (await store.GetAsync("loops", "held"))?.Status == JobStatus.InQueue;
        }, "the sweep to requeue the job whose lease ran out", seconds: 60);

        // A whole new cycle: accepted, taken, done, its webhook delivered and its trace written.
        var id = await server.RunAsync("loops", $$"""{"input":1,"webhook":"{{receiver.Url}}after"}""");
        using var worker = server.Http(TestServer.WorkerToken);
        string? taken = null;
        for (var i = 0; i < 3 && taken != id; i++)
        {
            var take = await worker.GetAsync("/v2/loops/job-take/w2");
            taken = (string?)(await TestServer.ReadAsync(take))["id"];
        }

        Assert.Equal(id, taken);
        var done = await worker.PostAsync($"/v2/loops/job-done/w2/{id}", TestServer.Json("""{"output":{"ok":true}}"""));
        Assert.Equal(HttpStatusCode.OK, done.StatusCode);
        await server.Sweeper.SweepOnceAsync().WaitAsync(Safety);
        await receiver.WhenSeen(1).WaitAsync(Safety);
        using var admin = server.Http(TestServer.AdminKey);
        await Eventually.TrueAsync(async () =>
        {
            var trace = await admin.GetAsync($"/api/jobs/{id}/trace");
            return trace.IsSuccessStatusCode && (await trace.Content.ReadAsStringAsync()).Contains("COMPLETED",
                StringComparison.Ordinal);
        }, "the job's trace to be written");

        foreach (var loop in loops)
        {
            Assert.False(loop.ExecuteTask!.IsCompleted, $"{loop.GetType().Name} ended: {loop.ExecuteTask.Exception}");
        }
    }

    private sealed class LogLines : ILoggerProvider, ILogger
    {
        private readonly ConcurrentQueue<string> _lines = new();

        public bool Has(string text) => _lines.Any(l => l.Contains(text, StringComparison.Ordinal));

        public ILogger CreateLogger(string categoryName) => this;

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception,
            Func<TState, Exception?, string> formatter) => _lines.Enqueue(formatter(state, exception));

        public void Dispose()
        {
        }
    }
}

using System.Net;
using System.Net.Sockets;
using Hearth.Core.Jobs;
using Hearth.Server.Hosting;
using Hearth.Server.Tests.Fixtures;
using Hearth.Server.Webhooks;
using Hearth.Store;
using Hearth.Store.Jobs;
using Hearth.Store.Tests.Fixtures;
using Hearth.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Hearth.Server.Tests.Webhooks;

/// <summary>
/// Webhooks wait in the store's outbox and never in the sweep: a receiver that never answers holds a few connections
/// and nothing else; a failing one is left alone by its circuit breaker; a store outage delays delivery, never loses
/// it.
/// </summary>
public sealed class WebhookOutboxTests(GarnetStoreFixture garnet) : IClassFixture<GarnetStoreFixture>
{
    private static readonly TimeSpan Safety = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Ten_thousand_deliveries_to_a_black_hole_delay_no_lease_expiry_timeout_or_other_webhook()
    {
        var busy = GarnetStoreFixture.UniqueEndpoint("busy");
        var calm = GarnetStoreFixture.UniqueEndpoint("calm");
        using var hole = BlackHole.Start();
        await using var receiver = await WebhookReceiver.StartAsync(200);
        await using var server = await TestServer.StartAsync(garnet.Host, o =>
        {
            o.Endpoints.Add(new EndpointOptions { Name = busy });
            o.Endpoints.Add(new EndpointOptions { Name = calm });
        });
        var store = server.Services.GetRequiredService<IHearthStore>();
        var now = server.Time.GetUtcNow().ToUnixTimeMilliseconds();
        for (var start = 0; start < 10_000; start += 500)
        {
            await Task.WhenAll(Enumerable.Range(start, 500).Select(async i =>
            {
                await store.SubmitAsync(busy, Job($"h{i}", now) with { Webhook = hole.Url });
                await store.CancelAsync(busy, $"h{i}", now);
            }));
        }

        await store.SubmitAsync(calm, Job("leased", now));
        await store.SubmitAsync(calm, Job("slow", now) with { ExecutionTimeoutMs = 5_000 });
        Assert.Equal(2, (await store.TakeAsync(calm, "w1", 2, now, 30_000)).Count);
        await server.Sweeper.SweepOnceAsync().WaitAsync(Safety);
        await Eventually.TrueAsync(() => hole.Connections >= 4, "the black hole to hold the deliveries it admits");

        server.Time.Advance(TimeSpan.FromSeconds(31));
        await server.Sweeper.SweepOnceAsync().WaitAsync(Safety);
        Assert.Equal(JobStatus.InQueue, (await store.GetAsync(calm, "leased"))!.Status);
        Assert.Equal(JobStatus.TimedOut, (await store.GetAsync(calm, "slow"))!.Status);

        var id = await server.RunAsync(calm, $$"""{"input":1,"webhook":"{{receiver.Url}}calm"}""");
        await server.Client.PostAsync($"/v2/{calm}/cancel/{id}", null);
        await server.Sweeper.SweepOnceAsync().WaitAsync(Safety);
        await receiver.WhenSeen(1).WaitAsync(Safety);
        Assert.Contains(id, System.Text.Encoding.UTF8.GetString(receiver.Received[0].Body), StringComparison.Ordinal);

        // Four in flight at a time; when they time out, a few more start before the breaker has seen four failures.
        Assert.InRange(hole.Connections, 4, 2 * new WebhookOptions().MaxConcurrentPerTarget);
    }

    [Fact]
    public async Task A_target_that_keeps_failing_is_left_alone_until_its_break_ends_and_then_gets_every_delivery()
    {
        var ep = GarnetStoreFixture.UniqueEndpoint("flaky");
        var healthy = 0;
        await using var receiver = await WebhookReceiver.StartAsync((_, context) =>
        {
            context.Response.StatusCode = Volatile.Read(ref healthy) == 1 ? 200 : 503;
            return Task.CompletedTask;
        });
        await using var server = await TestServer.StartAsync(garnet.Host, o => o.Endpoints.Add(new EndpointOptions { Name = ep }));
        var dispatcher = server.Services.GetRequiredService<WebhookDispatcher>();
        var ids = new List<string>();
        for (var i = 0; i < 10; i++)
        {
            ids.Add(await server.RunAsync(ep, $$"""{"input":{{i}},"webhook":"{{receiver.Url}}hook"}"""));
            await server.Client.PostAsync($"/v2/{ep}/cancel/{ids[^1]}", null);
        }

        await server.Sweeper.SweepOnceAsync().WaitAsync(Safety);
        await receiver.WhenSeen(4).WaitAsync(Safety);
        await Eventually.TrueAsync(() => dispatcher.InFlight == 0, "the first attempts to settle");

        // Four in flight at a time; as they fail, a few more start before the breaker has counted four failures.
        // Then it is open: passes past every retry time send nothing to the target.
        var sent = receiver.Received.Count;
        Assert.InRange(sent, 4, 7);
        for (var pass = 0; pass < 20; pass++)
        {
            server.Time.Advance(TimeSpan.FromSeconds(1));
            await dispatcher.DispatchOnceAsync().WaitAsync(Safety);
            await Eventually.TrueAsync(() => dispatcher.InFlight == 0, "the held-back deliveries to settle");
        }

        Assert.Equal(sent, receiver.Received.Count);

        // The target recovers: past the break (30 s, spread by up to 30 s more) every final state gets through.
        Volatile.Write(ref healthy, 1);
        await Eventually.TrueAsync(async () =>
        {
            server.Time.Advance(TimeSpan.FromSeconds(5));
            await dispatcher.DispatchOnceAsync().WaitAsync(Safety);
            return ids.All(id => receiver.Received.Any(r => r.Id!.StartsWith($"msg_{id}_", StringComparison.Ordinal)
                && System.Text.Encoding.UTF8.GetString(r.Body).Contains("CANCELLED", StringComparison.Ordinal)));
        }, "every webhook to be delivered once the target recovers", seconds: 60);
        Assert.True(receiver.Received.Count < 10 + sent + 6, $"{receiver.Received.Count} POSTs: the breaker let too many through");
    }

    [Fact]
    public async Task The_dispatcher_survives_a_store_outage_and_delivers_afterwards()
    {
        using var redis = RedisServerFixture.StartDurable();
        using var host = StoreHost.Open(new StoreOptions { Store = redis.Url, Durability = StoreDurability.Memory });
        await using var receiver = await WebhookReceiver.StartAsync(200);
        await using var server = await TestServer.StartAsync(host, o => o.Endpoints.Add(new EndpointOptions { Name = "outage" }));
        var dispatcher = server.Services.GetRequiredService<WebhookDispatcher>();
        var before = await server.RunAsync("outage", $$"""{"input":1,"webhook":"{{receiver.Url}}a"}""");
        await server.Client.PostAsync($"/v2/outage/cancel/{before}", null);

        redis.Crash();
        await server.Sweeper.SweepOnceAsync().WaitAsync(Safety);
        await Assert.ThrowsAnyAsync<Exception>(() => dispatcher.DispatchOnceAsync().WaitAsync(Safety));
        server.Time.Advance(TimeSpan.FromSeconds(2));
        await Task.Delay(200);

        redis.Start();
        var after = await Eventually.ValueAsync(async () =>
        {
            var response = await server.Client.PostAsync("/v2/outage/run", TestServer.Json(
                $$"""{"input":2,"webhook":"{{receiver.Url}}b"}"""));
            return response.StatusCode == HttpStatusCode.OK ? (string?)(await TestServer.ReadAsync(response))["id"] : null;
        }, "the store to take jobs again");
        await server.Client.PostAsync($"/v2/outage/cancel/{after}", null);

        // The dispatcher's own loop (not a test call) delivers both, on its poll interval.
        await Eventually.TrueAsync(() =>
        {
            server.Time.Advance(TimeSpan.FromSeconds(1));
            return receiver.Received.Count >= 2;
        }, "both webhooks to be delivered after the outage");
        Assert.False(dispatcher.ExecuteTask!.IsCompleted, "the dispatcher's loop ended");
        Assert.Equal(2, receiver.Received.Select(r => r.Id).Distinct().Count());
    }

    private static NewJob Job(string id, long now) =>
        new(id, "{\"id\":\"" + id + "\",\"input\":{}}", now, JobLimits.DefaultTtlMs, 600_000, JobLimits.RunRetentionMs,
            false, null);

    /// <summary>A loopback port that accepts connections and never answers (a receiver that hangs).</summary>
    private sealed class BlackHole : IDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly List<Socket> _held = [];
        private int _connections;

        private BlackHole() => _listener.Start();

        public string Url => $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/hook";

        public int Connections => Volatile.Read(ref _connections);

        public static BlackHole Start()
        {
            var hole = new BlackHole();
            _ = hole.AcceptAsync();
            return hole;
        }

        public void Dispose()
        {
            _listener.Stop();
            lock (_held)
            {
                _held.ForEach(s => s.Dispose());
            }
        }

        private async Task AcceptAsync()
        {
            try
            {
                while (true)
                {
                    var socket = await _listener.AcceptSocketAsync();
                    lock (_held)
                    {
                        _held.Add(socket);
                    }

                    Interlocked.Increment(ref _connections);
                }
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                // Stopped.
            }
        }
    }
}

using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Hearth.Server.Hosting;
using Hearth.Store;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Hearth.Bench.Dispatch;

/// <summary>Submit → worker-receives latency through a real Hearth control plane, plus PING on its store.</summary>
internal static class DispatchBench
{
    private const string ClientKey = "hk_bench";
    private const string WorkerToken = "hw_bench";

    public static async Task<(Stats Dispatch, Stats Ping, string Store)> RunAsync(string? redisUrl, StoreDurability durability, int warmup, int n)
    {
        var endpoint = "bench" + Guid.NewGuid().ToString("N")[..8];
        var data = Path.Combine(Path.GetTempPath(), "hearth-bench-" + Guid.NewGuid().ToString("N"));
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var hearth = builder.Services.AddHearthServer(o =>
        {
            o.Endpoints.Add(new EndpointOptions { Name = endpoint });
            o.ClientKeys.Add(new ClientKeyOptions { Key = ClientKey });
            o.WorkerTokens.Add(new WorkerTokenOptions { Token = WorkerToken });
            o.AdminKey = "ha_bench";
        });
        _ = redisUrl is null ? hearth.UseEmbeddedStore(data, s => s.Durability = durability) : hearth.UseRedisStore(redisUrl, s => s.Durability = StoreDurability.Memory);
        var app = builder.Build();
        app.MapHearth();
        await app.StartAsync();
        try
        {
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            var store = app.Services.GetRequiredService<StoreHost>();
            var dispatch = await MeasureAsync(new Uri(address), endpoint, warmup, n);
            var ping = await Floor.PingAsync($"PING ({(redisUrl is null ? "Garnet" : "redis-server")})", store.Connection, warmup, n);
            return (dispatch, ping, store.Description);
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
            if (Directory.Exists(data))
            {
                Directory.Delete(data, recursive: true);
            }
        }
    }

    private static async Task<Stats> MeasureAsync(Uri baseAddress, string endpoint, int warmup, int n)
    {
        using var client = new HttpClient { BaseAddress = baseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ClientKey);
        using var worker = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(60) };
        worker.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", WorkerToken);
        var received = Channel.CreateUnbounded<(string Id, long At)>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        using var stop = new CancellationTokenSource();
        var loop = Task.Run(() => WorkerLoopAsync(worker, endpoint, received.Writer, stop.Token));
        var ticks = new List<long>(n);
        for (var i = 0; i < warmup + n; i++)
        {
            var start = Stopwatch.GetTimestamp();
            using var response = await client.PostAsync($"/v2/{endpoint}/run", Json("{\"input\":{}}"));
            response.EnsureSuccessStatusCode();
            using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            var id = body.RootElement.GetProperty("id").GetString();
            var (gotId, at) = await received.Reader.ReadAsync();
            if (gotId != id)
            {
                throw new InvalidOperationException($"Worker received {gotId}, expected {id}.");
            }

            if (i >= warmup)
            {
                ticks.Add(at - start);
            }
        }

        await stop.CancelAsync();
        try
        {
            await loop;
        }
        catch (OperationCanceledException)
        {
        }

        return Stats.From("Dispatch submit→worker receives", ticks);
    }

    private static async Task WorkerLoopAsync(HttpClient http, string endpoint, ChannelWriter<(string, long)> received, CancellationToken ct)
    {
        const string workerId = "bench-worker-1";
        while (!ct.IsCancellationRequested)
        {
            using var take = await http.GetAsync($"/v2/{endpoint}/job-take/{workerId}", ct);
            if (take.StatusCode == HttpStatusCode.NoContent)
            {
                continue;
            }

            take.EnsureSuccessStatusCode();
            var json = await take.Content.ReadAsStringAsync(ct);
            var at = Stopwatch.GetTimestamp();
            using var job = JsonDocument.Parse(json);
            var id = job.RootElement.GetProperty("id").GetString()!;
            received.TryWrite((id, at));
            using var done = await http.PostAsync($"/v2/{endpoint}/job-done/{workerId}/{id}", Json("{\"output\":{}}"), ct);
            done.EnsureSuccessStatusCode();
        }
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");
}

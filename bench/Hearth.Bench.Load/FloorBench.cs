using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Hearth.Bench.Load;

/// <summary>The floors: one bare Kestrel round trip on loopback, one Redis-protocol PING round trip.</summary>
internal static class FloorBench
{
    public static async Task<LatencyRun> KestrelOkAsync(int warmup, int n)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        await using var app = builder.Build();
        app.MapGet("/ok", () => "ok");
        await app.StartAsync();
        var address = app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        using var http = new HttpClient { BaseAddress = new Uri(address) };
        var latency = new Latency();
        for (var i = 0; i < warmup + n; i++)
        {
            var start = Stopwatch.GetTimestamp();
            using var response = await http.GetAsync("/ok");
            _ = await response.Content.ReadAsStringAsync();
            var end = Stopwatch.GetTimestamp();
            if (i >= warmup)
            {
                latency.Record(end - start);
            }
        }

        await app.StopAsync();
        return latency.Summary();
    }

    /// <summary>PING on a fresh connection of its own (no other traffic shares it).</summary>
    public static async Task<LatencyRun> PingAsync(string hostPort, int warmup, int n)
    {
        await using var mux = await ConnectionMultiplexer.ConnectAsync(hostPort);
        var db = mux.GetDatabase();
        var latency = new Latency();
        for (var i = 0; i < warmup + n; i++)
        {
            var start = Stopwatch.GetTimestamp();
            await db.PingAsync();
            var end = Stopwatch.GetTimestamp();
            if (i >= warmup)
            {
                latency.Record(end - start);
            }
        }

        return latency.Summary();
    }
}

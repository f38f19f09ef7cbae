using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Hearth.Bench.Dispatch;

/// <summary>The floors: a bare Kestrel round trip and a Redis-protocol PING round trip.</summary>
internal static class Floor
{
    public static async Task<Stats> KestrelOkAsync(int warmup, int n)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        await using var app = builder.Build();
        app.MapGet("/ok", () => "ok");
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        using var http = new HttpClient { BaseAddress = new Uri(address) };
        var ticks = new List<long>(n);
        for (var i = 0; i < warmup + n; i++)
        {
            var start = Stopwatch.GetTimestamp();
            using var response = await http.GetAsync("/ok");
            _ = await response.Content.ReadAsStringAsync();
            var end = Stopwatch.GetTimestamp();
            if (i >= warmup)
            {
                ticks.Add(end - start);
            }
        }

        await app.StopAsync();
        return Stats.From("Kestrel GET /ok (floor)", ticks);
    }

    public static async Task<Stats> PingAsync(string figure, StackExchange.Redis.IConnectionMultiplexer connection, int warmup, int n)
    {
        var db = connection.GetDatabase();
        var ticks = new List<long>(n);
        for (var i = 0; i < warmup + n; i++)
        {
            var start = Stopwatch.GetTimestamp();
            await db.PingAsync();
            var end = Stopwatch.GetTimestamp();
            if (i >= warmup)
            {
                ticks.Add(end - start);
            }
        }

        return Stats.From(figure, ticks);
    }
}

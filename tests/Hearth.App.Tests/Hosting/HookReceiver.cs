using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Hearth.App.Tests.Hosting;

/// <summary>A real Kestrel on 127.0.0.1 that records each webhook POSTed to <see cref="Url"/> with its signature
/// headers.</summary>
public sealed class HookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;

    private HookReceiver(WebApplication app) => _app = app;

    public ConcurrentQueue<(string Id, string Timestamp, string Signature, byte[] Body)> Received { get; } = new();

    /// <summary>Where to send webhooks.</summary>
    public Uri Url => new(_app.Urls.Single() + "/hook");

    public static async Task<HookReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        var receiver = new HookReceiver(builder.Build());
        receiver._app.Urls.Add("http://127.0.0.1:0");
        receiver._app.MapPost("/hook", async (HttpContext http) =>
        {
            using var body = new MemoryStream();
            await http.Request.Body.CopyToAsync(body);
            receiver.Received.Enqueue((http.Request.Headers["webhook-id"].ToString(),
                http.Request.Headers["webhook-timestamp"].ToString(), http.Request.Headers["webhook-signature"].ToString(),
                body.ToArray()));
            return Results.Ok();
        });
        await receiver._app.StartAsync();
        return receiver;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}

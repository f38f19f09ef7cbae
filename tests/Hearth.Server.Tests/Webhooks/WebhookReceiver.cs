using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Hearth.Server.Tests.Webhooks;

/// <summary>What a <see cref="WebhookReceiver"/> saw in one request.</summary>
internal sealed record ReceivedWebhook(string? Id, string? Timestamp, string? Signature, string? ContentType, byte[] Body);

/// <summary>A real Kestrel server on 127.0.0.1 with a random port that records webhook requests.</summary>
internal sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly ConcurrentQueue<ReceivedWebhook> received = new();
    private readonly ConcurrentDictionary<int, TaskCompletionSource> seen = new();
    private int count;

    private WebhookReceiver(WebApplication app) => this.app = app;

    /// <summary>The receiver's base URL, for example http://127.0.0.1:41234/.</summary>
    public Uri Url { get; private set; } = null!;

    public IReadOnlyList<ReceivedWebhook> Received => [.. received];

    /// <summary>Starts a receiver; <paramref name="respond"/> gets the 1-based request number.</summary>
    public static async Task<WebhookReceiver> StartAsync(Func<int, HttpContext, Task> respond)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new WebhookReceiver(app);
        app.Urls.Add("http://127.0.0.1:0");
        app.Run(async context => await receiver.HandleAsync(context, respond));
        await app.StartAsync();
        receiver.Url = new Uri(app.Urls.Single());
        return receiver;
    }

    /// <summary>Starts a receiver that answers every request with <paramref name="statusCode"/>.</summary>
    public static Task<WebhookReceiver> StartAsync(int statusCode) =>
        StartAsync((_, context) =>
        {
            context.Response.StatusCode = statusCode;
            return Task.CompletedTask;
        });

    /// <summary>Completes once request number <paramref name="n"/> has arrived.</summary>
    public Task WhenSeen(int n) => Signal(n).Task;

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context, Func<int, HttpContext, Task> respond)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer);
        var headers = context.Request.Headers;
        received.Enqueue(new ReceivedWebhook(
            headers["webhook-id"], headers["webhook-timestamp"], headers["webhook-signature"], context.Request.ContentType, buffer.ToArray()));
        var n = Interlocked.Increment(ref count);
        Signal(n).TrySetResult();
        await respond(n, context);
    }

    private TaskCompletionSource Signal(int n) =>
        seen.GetOrAdd(n, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
}

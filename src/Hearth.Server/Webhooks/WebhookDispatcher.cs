using System.Buffers;
using System.Text.Json;
using Hearth.Server.Api;
using Hearth.Server.Jobs;
using Hearth.Store;
using Microsoft.Extensions.Hosting;

namespace Hearth.Server.Webhooks;

/// <summary>
/// Delivers one POST of the final status body per final state (spec §1.8), up to 8 at a time, through
/// <see cref="WebhookSender"/> (signed, SSRF-guarded, retried twice 10 s apart).
/// </summary>
public sealed class WebhookDispatcher(WebhookQueue queue, IJobStore store, WebhookSender sender) : BackgroundService
{
    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await Parallel.ForEachAsync(
                queue.Reader.ReadAllAsync(stoppingToken),
                new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = stoppingToken },
                DeliverAsync).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down; undelivered webhooks are lost with the process (documented).
        }
    }

    private async ValueTask DeliverAsync((string Endpoint, string JobId) item, CancellationToken cancellationToken)
    {
        var job = await store.GetAsync(item.Endpoint, item.JobId, cancellationToken).ConfigureAwait(false);
        if (job?.Webhook is null)
        {
            return;
        }

        var body = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(body, new JsonWriterOptions { SkipValidation = true }))
        {
            StatusJson.Write(writer, job);
        }

        // One id per final state: a retried job that finishes again is a new delivery.
        var webhookId = $"msg_{job.Id}_{job.Attempt}_{job.Status}";
        await sender.DeliverAsync(job.Webhook, webhookId, body.WrittenMemory, cancellationToken).ConfigureAwait(false);
    }
}

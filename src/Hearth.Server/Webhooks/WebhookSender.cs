using System.Net.Http.Headers;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Hearth.Server.Webhooks;

/// <summary>
/// Delivers signed webhooks: re-checks the URL with <see cref="WebhookTargetGuard"/> before every attempt,
/// connects only to the addresses it vetted, never follows redirects, and retries failures on a fixed delay.
/// </summary>
public sealed partial class WebhookSender : IDisposable
{
    private const string JsonMediaType = "application/json";

    private readonly WebhookOptions options;
    private readonly WebhookTargetGuard guard;
    private readonly WebhookSigner signer;
    private readonly TimeProvider timeProvider;
    private readonly ILogger<WebhookSender> logger;
    private readonly HttpClient client;

    /// <summary>Creates a sender with its own connection pool.</summary>
    /// <param name="options">Retry, timeout and scheme settings.</param>
    /// <param name="guard">Vets each URL right before each attempt.</param>
    /// <param name="signer">Signs each attempt.</param>
    /// <param name="timeProvider">The clock for timestamps, retry delays and timeouts.</param>
    /// <param name="logger">Receives delivery outcomes; never the secret or the body.</param>
    public WebhookSender(IOptions<WebhookOptions> options, WebhookTargetGuard guard, WebhookSigner signer,
        TimeProvider timeProvider, ILogger<WebhookSender> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        this.options = options.Value;
        this.guard = guard ?? throw new ArgumentNullException(nameof(guard));
        this.signer = signer ?? throw new ArgumentNullException(nameof(signer));
        this.timeProvider = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
        this.logger = logger ?? throw new ArgumentNullException(nameof(logger));
        client = CreateClient();
    }

    /// <summary>
    /// POSTs <paramref name="jsonBody"/> to <paramref name="url"/> until a 2xx answer or
    /// <see cref="WebhookOptions.MaxAttempts"/> attempts, <see cref="WebhookOptions.RetryDelay"/> apart.
    /// </summary>
    /// <param name="url">The user-supplied webhook URL; it is vetted again before every attempt.</param>
    /// <param name="webhookId">The delivery id, sent unchanged on every attempt so receivers can deduplicate.</param>
    /// <param name="jsonBody">The JSON body, sent and signed byte for byte.</param>
    /// <param name="cancellationToken">Stops waiting and sending; the task is then cancelled.</param>
    /// <returns>The outcome, without the receiver's response body.</returns>
    public async Task<WebhookDeliveryResult> DeliverAsync(
        string url, string webhookId, ReadOnlyMemory<byte> jsonBody, CancellationToken cancellationToken = default)
    {
        var last = default(WebhookDeliveryResult);
        for (var attempt = 1; attempt <= options.MaxAttempts; attempt++)
        {
            if (attempt > 1)
            {
                await Task.Delay(options.RetryDelay, timeProvider, cancellationToken).ConfigureAwait(false);
            }

            var result = await AttemptAsync(url, webhookId, jsonBody, cancellationToken).ConfigureAwait(false);
            switch (result.Outcome)
            {
                case WebhookDeliveryOutcome.Refused:
                    return result with { Attempts = attempt - 1, LastStatusCode = last?.LastStatusCode };
                case WebhookDeliveryOutcome.Delivered:
                    Log.Delivered(logger, webhookId, attempt, result.LastStatusCode ?? 0);
                    return result with { Attempts = attempt };
            }

            last = result;
            if (attempt < options.MaxAttempts)
            {
                Log.AttemptFailed(logger, webhookId, attempt, options.MaxAttempts, result.Reason!, options.RetryDelay);
            }
        }

        Log.GaveUp(logger, webhookId, options.MaxAttempts, last!.Reason!);
        return last with
        {
            Attempts = options.MaxAttempts,
            Reason = $"webhook delivery failed after {options.MaxAttempts} attempts; the last one {last.Reason}",
        };
    }

    /// <summary>
    /// One POST of <paramref name="jsonBody"/> to <paramref name="url"/>, vetted first: Delivered on a 2xx answer,
    /// Refused when the guard refuses the URL (no connection made), else Failed with what went wrong in
    /// <see cref="WebhookDeliveryResult.Reason"/> ("got HTTP 503", "timed out after …").
    /// </summary>
    /// <param name="url">The user-supplied webhook URL.</param>
    /// <param name="webhookId">The delivery id, the same on every attempt so receivers can deduplicate.</param>
    /// <param name="jsonBody">The JSON body, sent and signed byte for byte.</param>
    /// <param name="cancellationToken">Stops the attempt; the task is then cancelled.</param>
    /// <returns>The outcome of this attempt.</returns>
    public async Task<WebhookDeliveryResult> AttemptAsync(
        string url, string webhookId, ReadOnlyMemory<byte> jsonBody, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(webhookId);
        if (webhookId.AsSpan().ContainsAnyExceptInRange('!', '~'))
        {
            throw new ArgumentException("A webhook id must be printable ASCII without spaces, since it travels in a "
                + "header and in the signed content.", nameof(webhookId));
        }

        // Checked per attempt, not once: DNS or the allow-list may have changed since the last one.
        var target = await guard.CheckAsync(url, cancellationToken).ConfigureAwait(false);
        if (!target.Allowed)
        {
            Log.TargetRefused(logger, webhookId, target.Reason!);
            return new WebhookDeliveryResult(WebhookDeliveryOutcome.Refused, 0, null, target.Reason);
        }

        var sent = await SendOnceAsync(target, webhookId, jsonBody, cancellationToken).ConfigureAwait(false);
        return sent.Succeeded
            ? new WebhookDeliveryResult(WebhookDeliveryOutcome.Delivered, 1, sent.StatusCode, null)
            : new WebhookDeliveryResult(WebhookDeliveryOutcome.Failed, 1, sent.StatusCode, sent.Failure);
    }

    /// <summary>Closes the sender's pooled connections.</summary>
    public void Dispose() => client.Dispose();

    private async Task<AttemptResult> SendOnceAsync(
        WebhookTargetCheck target, string webhookId, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        // A fresh timestamp per attempt keeps late retries inside receivers' 5-minute tolerance.
        var headers = signer.Sign(webhookId, timeProvider.GetUtcNow(), body.Span);
        using var request = new HttpRequestMessage(HttpMethod.Post, target.Target)
        {
            Content = new ReadOnlyMemoryContent(body),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(JsonMediaType);
        request.Headers.Add(WebhookSignatureHeaders.IdHeader, headers.Id);
        request.Headers.Add(WebhookSignatureHeaders.TimestampHeader, headers.Timestamp);
        request.Headers.Add(WebhookSignatureHeaders.SignatureHeader, headers.Signature);
        request.Options.Set(VettedAddressesKey, target.Addresses);

        using var timeout = new CancellationTokenSource(options.RequestTimeout, timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            // Headers only: the body is never read, so nothing of the target's content can leak back.
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token)
                .ConfigureAwait(false);
            var status = (int)response.StatusCode;
            return response.IsSuccessStatusCode
                ? new AttemptResult(true, status, string.Empty)
                : new AttemptResult(false, status, $"got HTTP {status}");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new AttemptResult(false, null, $"timed out after {options.RequestTimeout}");
        }
        catch (HttpRequestException)
        {
            return new AttemptResult(false, null, "could not connect or lost the connection");
        }
    }

    private readonly record struct AttemptResult(bool Succeeded, int? StatusCode, string Failure);
}

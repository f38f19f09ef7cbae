using Microsoft.Extensions.Logging;

namespace Hearth.Server.Webhooks;

/// <summary>Log messages of <see cref="WebhookSender"/>; they carry ids and reasons, never the secret, body or
/// URL.</summary>
public sealed partial class WebhookSender
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "Webhook {WebhookId} was refused: {Reason}")]
        public static partial void TargetRefused(ILogger logger, string webhookId, string reason);

        [LoggerMessage(EventId = 2, Level = LogLevel.Information,
            Message = "Webhook {WebhookId} was delivered on attempt {Attempt} with HTTP {StatusCode}")]
        public static partial void Delivered(ILogger logger, string webhookId, int attempt, int statusCode);

        [LoggerMessage(EventId = 3, Level = LogLevel.Warning,
            Message = "Webhook {WebhookId} attempt {Attempt} of {MaxAttempts} {Failure}; retrying in {RetryDelay}")]
        public static partial void AttemptFailed(
            ILogger logger, string webhookId, int attempt, int maxAttempts, string failure, TimeSpan retryDelay);

        [LoggerMessage(EventId = 4, Level = LogLevel.Error,
            Message = "Webhook {WebhookId} gave up after {Attempts} attempts; the last one {Failure}")]
        public static partial void GaveUp(ILogger logger, string webhookId, int attempts, string failure);
    }
}

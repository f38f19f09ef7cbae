using System.Text.Json;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;

namespace Hearth.Worker;

/// <summary>
/// How a worker retries its control plane (Polly): exponential backoff with jitter on transport errors, unreadable
/// answers and <see cref="ControlPlaneRefusal"/>s, honouring <c>Retry-After</c>, up to a longest delay between
/// tries. A worker with a wrong token or a control plane whose store is down thus sends a request every few
/// seconds at most, never a flood; each retry is logged, a refused credential as an error that names the fix.
/// </summary>
internal static partial class ControlPlaneRetry
{
    /// <summary>A pipeline that retries until <paramref name="keepTrying"/> says no (or forever) or the call's token
    /// is cancelled.</summary>
    public static ResiliencePipeline Build(
        TimeProvider time, ILogger logger, string what, TimeSpan firstDelay, TimeSpan maxDelay,
        Func<bool>? keepTrying = null) =>
        new ResiliencePipelineBuilder { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = int.MaxValue,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = firstDelay,
                MaxDelay = maxDelay,
                ShouldHandle = args => ValueTask.FromResult(
                    Transient(args.Outcome.Exception, args.Context.CancellationToken)
                        && (keepTrying?.Invoke() ?? true)),
                DelayGenerator = args => ValueTask.FromResult(
                    args.Outcome.Exception is ControlPlaneRefusal { RetryAfter: { } after } && after > TimeSpan.Zero
                        ? (TimeSpan?)(after < maxDelay ? after : maxDelay) : null),
                OnRetry = args =>
                {
                    var e = args.Outcome.Exception!;
                    if (e is ControlPlaneRefusal { Credentials: true })
                    {
                        LogCredentialsRefused(logger, e.Message, args.RetryDelay);
                    }
                    else
                    {
                        LogRetrying(logger, what, e.Message, args.AttemptNumber + 1, args.RetryDelay);
                    }

                    return ValueTask.CompletedTask;
                },
            })
            .Build();

    private static bool Transient(Exception? e, CancellationToken token) => e switch
    {
        HttpRequestException or JsonException => true,
        OperationCanceledException => !token.IsCancellationRequested, // the HTTP client's own timeout
        _ => false,
    };

    [LoggerMessage(Level = LogLevel.Error, Message = "{Reason} Retrying in {Delay}.")]
    private static partial void LogCredentialsRefused(ILogger logger, string reason, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "{What} failed ({Reason}); try {Try} in {Delay} (backing off while "
            + "the control plane is unreachable)")]
    private static partial void LogRetrying(ILogger logger, string what, string reason, int @try, TimeSpan delay);
}

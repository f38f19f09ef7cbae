using System.Collections.Concurrent;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;
using Polly.RateLimiting;

namespace Hearth.Server.Webhooks;

/// <summary>
/// What each webhook target (scheme, host and port) may take: at most <see
/// cref="WebhookOptions.MaxConcurrentPerTarget"/> deliveries at once, and a circuit breaker that leaves it alone for
/// <see cref="WebhookOptions.BreakDuration"/> once half of its recent deliveries failed. One dead receiver then costs
/// a few connections and a probe now and then, never the dispatcher's whole capacity. Polly pipelines, one per target.
/// </summary>
public sealed class WebhookTargets(IOptions<WebhookOptions> options, TimeProvider time)
{
    /// <summary>Targets remembered before idle ones are forgotten (their breaker state with them).</summary>
    public const int Remembered = 4096;

    private static readonly TimeSpan ForgetAfter = TimeSpan.FromMinutes(10);

    private readonly ConcurrentDictionary<string, Target> _targets = new(StringComparer.Ordinal);

    /// <summary>Targets known now.</summary>
    public int Count => _targets.Count;

    /// <summary>The target a URL delivers to: <c>scheme://host:port</c>, lower case; the URL itself when it does not
    /// parse (the guard refuses it anyway).</summary>
    public static string KeyOf(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri)
            ? $"{uri.Scheme}://{uri.IdnHost}:{uri.Port}".ToLowerInvariant()
            : url;

    /// <summary>The pipeline every delivery to <paramref name="url"/>'s target runs through. It throws <see
    /// cref="BrokenCircuitException"/> while the target is left alone and <see cref="RateLimiterRejectedException"/>
    /// while it has its fill of deliveries in flight.</summary>
    public ResiliencePipeline<WebhookDeliveryResult> For(string url)
    {
        var now = time.GetTimestamp();
        if (_targets.Count >= Remembered)
        {
            Forget(now);
        }

        var target = _targets.GetOrAdd(KeyOf(url), static (_, self) => new Target(self.Build()), this);
        Volatile.Write(ref target.LastUsed, now);
        return target.Pipeline;
    }

    private ResiliencePipeline<WebhookDeliveryResult> Build()
    {
        var settings = options.Value;
        return new ResiliencePipelineBuilder<WebhookDeliveryResult> { TimeProvider = time }
            .AddConcurrencyLimiter(new ConcurrencyLimiterOptions
            {
                PermitLimit = settings.MaxConcurrentPerTarget,
                QueueLimit = 0,
            })
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions<WebhookDeliveryResult>
            {
                FailureRatio = 0.5,
                MinimumThroughput = 4,
                SamplingDuration = TimeSpan.FromMinutes(1),
                BreakDuration = settings.BreakDuration,
                ShouldHandle = static args => ValueTask.FromResult(TargetDown(args.Outcome.Result)),
            })
            .Build();
    }

    /// <summary>
    /// A failure that says the target is down or overloaded — no answer (refused, reset, timed out), 429, 502, 503,
    /// 504 — counts toward opening its circuit. Any other failed answer (a 500 or 4xx for this one message) is the
    /// message's own: it is retried on its own schedule and never holds back the target's other deliveries, so a
    /// receiver that chokes on some payloads cannot starve the rest.
    /// </summary>
    internal static bool TargetDown(WebhookDeliveryResult? result) =>
        result is { Outcome: WebhookDeliveryOutcome.Failed }
        && result.LastStatusCode is null or 429 or 502 or 503 or 504;

    private void Forget(long now)
    {
        foreach (var (key, target) in _targets)
        {
            if (time.GetElapsedTime(Volatile.Read(ref target.LastUsed), now) > ForgetAfter)
            {
                _targets.TryRemove(key, out _);
            }
        }
    }

    private sealed class Target(ResiliencePipeline<WebhookDeliveryResult> pipeline)
    {
        public long LastUsed;

        public ResiliencePipeline<WebhookDeliveryResult> Pipeline { get; } = pipeline;
    }
}

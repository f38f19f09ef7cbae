using Hearth.Core.Endpoints;

namespace Hearth.Core.Lint.Rules;

/// <summary>HL002: latency-sensitive endpoints keep warm workers (seed: "Worker minimums set", the workers=(0|1|3, n)
/// table).</summary>
internal sealed class WorkerMinimumRule : EndpointLintRule
{
    /// <summary>Warm workers a real-time API keeps (seed: workers=(3, n), "always ready").</summary>
    public const int RealtimeMinimum = 3;

    /// <summary>Warm workers an interactive endpoint keeps (seed: workers=(1, n), "&lt;1s").</summary>
    public const int InteractiveMinimum = 1;

    public override string Id => "HL002";

    public override string Name => "worker-minimum";

    protected override void Check(EndpointSpec spec, string path, ICollection<LintFinding> findings)
    {
        var (needed, kind) = spec.Latency switch
        {
            EndpointLatency.Realtime => (RealtimeMinimum, "a real-time endpoint"),
            EndpointLatency.Interactive => (InteractiveMinimum, "an interactive endpoint (the default latency)"),
            _ => (0, "a batch endpoint"),
        };
        if (spec.WorkersMin >= needed)
        {
            return;
        }

        var max = Math.Max(spec.WorkersMax, needed);
        var batchHint = spec.Latency == EndpointLatency.Interactive
            ? ", or set latency: batch if callers can wait for a cold start" : string.Empty;
        Add(findings, LintSeverity.Error, $"{path}.workers",
            $"workers [{spec.WorkersMin}, {spec.WorkersMax}] keeps {spec.WorkersMin} warm, {kind} "
            + $"needs at least {needed}",
            "with no warm worker the first request waits 20–90 s for a cold start (seed checklist: min ≥ 1 on "
            + "anything latency-sensitive, min ≥ 3 for production APIs)",
            $"set workers: [{needed}, {max}]{batchHint}.");
    }
}

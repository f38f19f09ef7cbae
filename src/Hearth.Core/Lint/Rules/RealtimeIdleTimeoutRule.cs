using Hearth.Core.Endpoints;

namespace Hearth.Core.Lint.Rules;

/// <summary>HL008: a real-time endpoint keeps burst workers at least a minute (seed: idle_timeout=1800 on the
/// orchestrator).</summary>
internal sealed class RealtimeIdleTimeoutRule : EndpointLintRule
{
    /// <summary>Shortest idle timeout that does not flag: 60 s.</summary>
    public static readonly TimeSpan MinimumIdleTimeout = TimeSpan.FromSeconds(60);

    public override string Id => "HL008";

    public override string Name => "realtime-idle-timeout";

    protected override void Check(EndpointSpec spec, string path, ICollection<LintFinding> findings)
    {
        if (spec.Latency != EndpointLatency.Realtime || spec.IdleTimeout >= MinimumIdleTimeout)
        {
            return;
        }

        Add(findings, LintSeverity.Info, $"{path}.idle_timeout",
            $"idle_timeout is {spec.IdleTimeout.TotalSeconds:0} s on a real-time endpoint",
            "workers above the minimum spin down between a user's turns, so the next burst cold-starts (seed: "
            + "idle_timeout=1800 keeps workers ready through natural interaction gaps)",
            "keep burst workers longer, e.g. idle_timeout: 300, or 1800 for multi-turn sessions.");
    }
}

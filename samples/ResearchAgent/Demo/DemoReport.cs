namespace ResearchAgent.Demo;

/// <summary>What <c>--out FILE</c> writes: the agent's answer plus what the demo saw (tests read it).</summary>
internal sealed record DemoReport(
    ResearchAnswer Answer,
    string JobId,
    string Address,
    double SubmittedSeconds,
    double ReadySeconds,
    double PipelineSeconds,
    double TotalSeconds,
    string? KilledWorker);

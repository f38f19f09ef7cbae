namespace Hearth.Core.Scaling;

/// <summary>What the scaler wants done for one endpoint: start workers or stop some, never both.</summary>
/// <param name="Start">How many workers to start.</param>
/// <param name="Stop">Ids of idle workers to stop, oldest idle first.</param>
/// <param name="Reason">One readable line for the CLI, e.g. <c>queue delay 4.2 s &gt; 4 s</c>; empty for <see
/// cref="None"/>.</param>
public sealed record ScalingDecision(int Start, IReadOnlyList<string> Stop, string Reason)
{
    /// <summary>Nothing to do.</summary>
    public static ScalingDecision None { get; } = new(0, [], string.Empty);

    /// <summary>True when the decision neither starts nor stops anything.</summary>
    public bool IsNone => Start == 0 && Stop.Count == 0;
}

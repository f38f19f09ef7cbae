using Hearth.Soak.History;

namespace Hearth.Soak.Checking;

/// <summary>One violation of an invariant: the job (when it is about one), what is wrong, and the history lines that
/// show it.</summary>
public sealed record Violation(string? Job, string Message, IReadOnlyList<HistoryEvent> Evidence);

/// <summary>What the checker found for one invariant.</summary>
/// <param name="Name">Short name (<c>acked-jobs-final</c>, …).</param>
/// <param name="Description">The promise, in words.</param>
/// <param name="Checked">How many things (jobs, answers, steps) it looked at.</param>
/// <param name="Violations">Every violation found.</param>
/// <param name="NotExercised">Why the history could not show this invariant either way (then it is not a pass);
/// null when it was exercised.</param>
public sealed record InvariantResult(
    string Name, string Description, int Checked, IReadOnlyList<Violation> Violations, string? NotExercised = null)
{
    /// <summary>True when nothing was violated.</summary>
    public bool Holds => Violations.Count == 0;
}

/// <summary>Every invariant's result.</summary>
public sealed record CheckResult(IReadOnlyList<InvariantResult> Invariants)
{
    /// <summary>Violations of all invariants together.</summary>
    public int ViolationCount => Invariants.Sum(i => i.Violations.Count);

    /// <summary>One invariant's result by name.</summary>
    public InvariantResult this[string name] => Invariants.Single(i => i.Name == name);
}

/// <summary>The bounds the checker holds the history to; each is the soak's setting.</summary>
/// <param name="LeaseMs">The job lease.</param>
/// <param name="SweepMs">The sweep interval (1 s).</param>
/// <param name="OutageSlackMs">How long after a declared outage ends its 503s still count as part of it (the store
/// reconnecting, a replica starting).</param>
/// <param name="RetentionMs">Result retention after /run (30 min): a 404 after it is not a loss.</param>
public sealed record CheckSettings(
    long LeaseMs, long SweepMs = 1000, long OutageSlackMs = 5000, long RetentionMs = 30 * 60 * 1000);

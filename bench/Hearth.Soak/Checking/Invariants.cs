namespace Hearth.Soak.Checking;

/// <summary>The invariants' names and promises (reliability.md §5 and R1, R8, R9, R10, R13).</summary>
public static class Invariants
{
    /// <summary>I1.</summary>
    public const string AckedJobsFinal = "acked-jobs-final";

    /// <summary>I4.</summary>
    public const string ResultsNeverChange = "results-never-change";

    /// <summary>I3.</summary>
    public const string NoFencedCompletion = "no-fenced-completion";

    /// <summary>I7 / R12.</summary>
    public const string JournaledStepsNotRerun = "journaled-steps-not-rerun";

    /// <summary>Webhooks, S7.</summary>
    public const string WebhooksDelivered = "webhooks-delivered";

    /// <summary>R1.</summary>
    public const string WorkerLostEqualsKills = "worker-lost-equals-kills";

    /// <summary>I8 / R10.</summary>
    public const string No5xxOutsideOutages = "no-5xx-outside-outages";

    /// <summary>I5 / R5.</summary>
    public const string NothingStuckInProgress = "nothing-stuck-in-progress";

    /// <summary>Each invariant's promise, in words.</summary>
    public static IReadOnlyDictionary<string, string> Descriptions { get; } = new Dictionary<string, string>
    {
        [AckedJobsFinal] = "every acknowledged job reached exactly one terminal state",
        [ResultsNeverChange] = "no result a client read (status or webhook) ever changed",
        [NoFencedCompletion] = "no job completed by a fenced (stale) attempt; no accepted result went missing",
        [JournaledStepsNotRerun] = "no journaled step ran again after its journal write succeeded",
        [WebhooksDelivered] = "every webhook of a final job was delivered at least once with a valid signature",
        [WorkerLostEqualsKills] = "every worker-lost requeue is explained by a kill or a pause of the worker that held it",
        [No5xxOutsideOutages] = "no 5xx answer other than 503, and 503 only during a declared outage",
        [NothingStuckInProgress] = "no job stayed IN_PROGRESS past its timeout + lease + 2 sweeps",
    };
}

using Hearth.Soak.Checking;
using Hearth.Soak.History;
using static Hearth.Soak.Tests.Checking.Histories;

namespace Hearth.Soak.Tests.Checking;

/// <summary>Each invariant holds on a clean history and fails on one crafted to break it: the checker proves
/// something only if it can fail.</summary>
public sealed class HistoryCheckerTests
{
    private static readonly HistoryChecker Checker = new(new CheckSettings(Lease));

    private static InvariantResult Check(IReadOnlyList<HistoryEvent> events, string invariant) => Checker.Check(events)[invariant];

    [Fact]
    public void A_clean_history_violates_nothing()
    {
        var result = Checker.Check(Clean("j1").With([.. Clean("j2", 2_000_000, "nonce-aaaaaaaaaaa2")]));

        Assert.Equal(0, result.ViolationCount);
        Assert.Equal(2, result[Invariants.AckedJobsFinal].Checked);
    }

    [Fact]
    public void An_acknowledged_job_never_seen_final_is_a_violation()
    {
        var events = new List<HistoryEvent> { Submit("j1", 1000), Take("j1", 1010, 1, 100), Read("j1", 1020, "IN_PROGRESS") };

        var v = Assert.Single(Check(events, Invariants.AckedJobsFinal).Violations);
        Assert.Equal("j1", v.Job);
        Assert.Contains("never seen in a final state", v.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_acknowledged_job_answering_404_before_it_was_final_is_lost()
    {
        var events = Clean().With(Read("j1", 1_000_030, "", http: 404));

        Assert.Contains(Check(events, Invariants.AckedJobsFinal).Violations, v => v.Message.Contains("404", StringComparison.Ordinal));
    }

    [Fact]
    public void Two_final_states_for_one_job_are_a_violation()
    {
        var events = Clean().With(Read("j1", 1_003_000, "FAILED"));

        Assert.Contains(Check(events, Invariants.AckedJobsFinal).Violations, v => v.Message.Contains("two final states", StringComparison.Ordinal));
    }

    [Fact]
    public void A_result_that_changes_after_a_client_read_it_is_a_violation()
    {
        var changed = Clean().With(Read("j1", 1_003_000, "COMPLETED", "nonce-bbbbbbbbbbb1", attempt: 2));
        var undone = Clean().With(Read("j1", 1_003_000, "IN_QUEUE"));

        Assert.Single(Check(changed, Invariants.ResultsNeverChange).Violations);
        Assert.Single(Check(undone, Invariants.ResultsNeverChange).Violations);
    }

    [Fact]
    public void A_webhook_that_contradicts_what_the_client_read_is_a_violation()
    {
        var events = Clean(webhook: "http://127.0.0.1:1/hook/1").With(Webhook("j1", 1_000_100, "FAILED", null));

        Assert.Contains(Check(events, Invariants.ResultsNeverChange).Violations, v => v.Message.Contains("webhook", StringComparison.Ordinal));
    }

    [Fact]
    public void A_404_after_the_result_retention_is_not_a_change()
    {
        var events = Clean().With(Read("j1", 1_000_060 + (31 * 60 * 1000), "", http: 404));

        Assert.True(Check(events, Invariants.ResultsNeverChange).Holds);
    }

    [Fact]
    public void A_404_counts_retention_from_the_earliest_completion_not_from_when_the_client_first_saw_it()
    {
        // Last seen IN_PROGRESS at 1_000_009; first seen COMPLETED much later (the client read it late). The result may
        // have been deleted from 1_000_009 + 30 min on, before 30 min after the first final read.
        var late = new List<HistoryEvent>
        {
            Submit("j1", 1_000_000), Take("j1", 1_000_010, 1, 100), Start("j1", 1_000_011, 1, 100, "nonce-aaaaaaaaaaa1"),
            Read("j1", 1_000_012, "IN_PROGRESS", delay: 8), Result("j1", 1_000_050, 1, 100, "nonce-aaaaaaaaaaa1"),
            Read("j1", 1_020_000, "COMPLETED", "nonce-aaaaaaaaaaa1"),
        };
        Assert.True(Check(late.With(Read("j1", 1_000_012 + (30 * 60 * 1000) + 10, "", http: 404)),
            Invariants.ResultsNeverChange).Holds);

        // A 404 before even the earliest completion + retention is a loss.
        Assert.Contains(Check(late.With(Read("j1", 1_000_009 + (29 * 60 * 1000), "", http: 404)),
            Invariants.ResultsNeverChange).Violations, v => v.Message.Contains("404", StringComparison.Ordinal));
    }

    [Fact]
    public void A_job_completed_by_an_attempt_that_had_been_fenced_is_a_violation()
    {
        // Attempt 1 paused past its lease; attempt 2 was granted to another worker; attempt 1's result was accepted.
        var events = new List<HistoryEvent>
        {
            Submit("j1", 1000), Take("j1", 1010, 1, 100), Start("j1", 1011, 1, 100, "nonce-000000000001"),
            Take("j1", 22_000, 2, 200), Start("j1", 22_001, 2, 200, "nonce-000000000002"),
            Result("j1", 26_000, 1, 100, "nonce-000000000001"), Result("j1", 27_000, 2, 200, "nonce-000000000002", http: 409),
            Read("j1", 28_000, "COMPLETED", "nonce-000000000001"),
        };

        var result = Check(events, Invariants.NoFencedCompletion);

        Assert.Contains(result.Violations, v => v.Message.Contains("completed by attempt 1 although attempt 2", StringComparison.Ordinal));
    }

    [Fact]
    public void A_result_refused_with_409_and_recorded_anyway_is_a_violation()
    {
        var events = new List<HistoryEvent>
        {
            Submit("j1", 1000), Take("j1", 1010, 1, 100), Start("j1", 1011, 1, 100, "nonce-000000000001"),
            Result("j1", 1100, 1, 100, "nonce-000000000001", http: 409), Read("j1", 1200, "COMPLETED", "nonce-000000000001"),
        };

        Assert.Contains(Check(events, Invariants.NoFencedCompletion).Violations, v => v.Message.Contains("refused", StringComparison.Ordinal));
    }

    [Fact]
    public void A_result_accepted_with_200_but_not_the_one_recorded_is_a_violation()
    {
        var events = Clean().With(Result("j1", 1_000_055, 1, 300, "nonce-ccccccccccc1"));

        Assert.Contains(Check(events, Invariants.NoFencedCompletion).Violations, v => v.Message.Contains("accepted (200)", StringComparison.Ordinal));
    }

    [Fact]
    public void A_stale_result_refused_with_409_is_what_fencing_should_do()
    {
        var events = new List<HistoryEvent>
        {
            Submit("j1", 1000), Take("j1", 1010, 1, 100), Start("j1", 1011, 1, 100, "nonce-000000000001"),
            Fault(FaultKinds.WorkerPause, 1500, 100, 25_000),
            Take("j1", 22_000, 2, 200), Start("j1", 22_001, 2, 200, "nonce-000000000002"),
            Result("j1", 25_100, 1, 100, "nonce-000000000001", http: 409), Result("j1", 27_000, 2, 200, "nonce-000000000002"),
            Read("j1", 28_000, "COMPLETED", "nonce-000000000002", attempt: 2),
        };

        Assert.Equal(0, Checker.Check(events).ViolationCount);
    }

    [Fact]
    public void A_journaled_step_that_runs_again_is_a_violation_and_a_failed_journal_write_is_not()
    {
        HistoryEvent Run(long t, int attempt) => new() { Type = EventTypes.StepRun, T = t, Job = "j1", Scope = "s", Step = "s1-0", Attempt = attempt };
        HistoryEvent Journal(long t, int? http) => new() { Type = EventTypes.Journal, T = t, Job = "j1", Step = "s1-0", Http = http };
        var submit = Submit("j1", 1000, "session", session: "s");

        var rerun = new List<HistoryEvent> { submit, Run(1100, 1), Journal(1200, 200), Run(30_000, 2) };
        var failedWrite = new List<HistoryEvent> { submit, Run(1100, 1), Journal(1200, 503), Run(30_000, 2) };
        var replayed = new List<HistoryEvent> { submit, Run(1100, 1), Journal(1200, 200) };

        Assert.Single(Check(rerun, Invariants.JournaledStepsNotRerun).Violations);
        Assert.True(Check(failedWrite, Invariants.JournaledStepsNotRerun).Holds);
        Assert.True(Check(replayed, Invariants.JournaledStepsNotRerun).Holds);
    }

    [Fact]
    public void A_final_job_whose_webhook_never_arrived_signed_is_a_violation()
    {
        const string hook = "http://127.0.0.1:1/hook/1";
        var delivered = Clean(webhook: hook).With(Webhook("j1", 1_000_100, "COMPLETED", "nonce-aaaaaaaaaaa1"));
        var missing = Clean(webhook: hook);
        var forged = Clean(webhook: hook).With(Webhook("j1", 1_000_100, "COMPLETED", "nonce-aaaaaaaaaaa1", valid: false));

        Assert.True(Check(delivered, Invariants.WebhooksDelivered).Holds);
        Assert.Single(Check(missing, Invariants.WebhooksDelivered).Violations);
        Assert.Single(Check(forged, Invariants.WebhooksDelivered).Violations);
        Assert.NotNull(Check(Clean(), Invariants.WebhooksDelivered).NotExercised);
    }

    [Fact]
    public void A_worker_lost_requeue_needs_a_kill_or_a_pause_past_the_lease_of_the_worker_that_held_it()
    {
        List<HistoryEvent> Lost(params HistoryEvent[] faults) =>
        [
            Submit("j1", 1000), Take("j1", 1010, 1, 100), Start("j1", 1011, 1, 100, "nonce-000000000001"), .. faults,
            Take("j1", 22_000, 2, 200), Start("j1", 22_001, 2, 200, "nonce-000000000002"),
            Result("j1", 22_100, 2, 200, "nonce-000000000002"), Read("j1", 22_200, "COMPLETED", "nonce-000000000002", attempt: 2),
        ];

        Assert.True(Check(Lost(Fault(FaultKinds.WorkerKill, 1500, 100)), Invariants.WorkerLostEqualsKills).Holds);
        Assert.True(Check(Lost(Fault(FaultKinds.WorkerPause, 1500, 100, 1500 + Lease + 3000)), Invariants.WorkerLostEqualsKills).Holds);
        Assert.Single(Check(Lost(), Invariants.WorkerLostEqualsKills).Violations);
        Assert.Single(Check(Lost(Fault(FaultKinds.WorkerKill, 1500, 300)), Invariants.WorkerLostEqualsKills).Violations);
        Assert.Single(Check(Lost(Fault(FaultKinds.WorkerPauseShort, 1500, 100, 4500)), Invariants.WorkerLostEqualsKills).Violations);
    }

    [Fact]
    public void A_grant_no_worker_saw_is_explained_by_a_kill_just_before_a_hand_back_or_a_pause_begun_as_it_came()
    {
        // Attempt 1's take was never seen; attempt 2 came quickly, or late.
        List<HistoryEvent> Unseen(long second, params HistoryEvent[] events) =>
        [
            Submit("j1", 1000), .. events, Take("j1", second, 2, 200), Start("j1", second + 1, 2, 200, "nonce-000000000002"),
            Result("j1", second + 100, 2, 200, "nonce-000000000002"),
            Read("j1", second + 200, "COMPLETED", "nonce-000000000002", attempt: 2),
        ];
        HistoryEvent Ended(long t, int pid) => new() { Type = EventTypes.Note, Kind = "worker-ended", T = t, Worker = $"w{pid}" };
        HistoryEvent Kill(long t, int pid) => Fault(FaultKinds.WorkerKill, t, pid) with { Worker = $"w{pid}" };

        // A worker killed 5 ms before the submit still had its take open; it ended holding the job.
        Assert.True(Check(Unseen(1200, Kill(995, 100), Ended(1040, 100)), Invariants.WorkerLostEqualsKills).Holds);

        // Granted again within the lease with no worker ending: a hand-back (release), not a loss.
        Assert.True(Check(Unseen(1500), Invariants.WorkerLostEqualsKills).Holds);

        // A worker that ended on its own (no kill) while it held the grant: a loss nothing explains.
        Assert.Single(Check(Unseen(1500, Ended(1040, 100)), Invariants.WorkerLostEqualsKills).Violations);

        // Granted again only after a lease: the grant was lost, and nothing explains it.
        Assert.Single(Check(Unseen(22_000), Invariants.WorkerLostEqualsKills).Violations);

        // A pause past the lease stamped a little before the take it froze still explains that grant.
        List<HistoryEvent> paused =
        [
            Submit("j1", 1000), Fault(FaultKinds.WorkerPause, 1005, 100, 1005 + Lease + 3000), Take("j1", 1010 + Lease + 3000, 1, 100),
            Take("j1", 22_000, 2, 200), Start("j1", 22_001, 2, 200, "nonce-000000000002"),
            Result("j1", 22_100, 2, 200, "nonce-000000000002"), Read("j1", 22_200, "COMPLETED", "nonce-000000000002", attempt: 2),
        ];
        paused[2] = paused[2] with { T0 = 1008 };
        Assert.True(Check(paused, Invariants.WorkerLostEqualsKills).Holds);
    }

    [Fact]
    public void A_worker_lost_limit_counts_every_lost_attempt()
    {
        var events = new List<HistoryEvent>
        {
            Submit("j1", 1000),
            Take("j1", 1010, 1, 100), Fault(FaultKinds.WorkerKill, 1500, 100),
            Take("j1", 3000, 2, 200), Fault(FaultKinds.WorkerKill, 3500, 200),
            Take("j1", 5000, 3, 300),
            new() { Type = EventTypes.Status, T0 = 30_000, T = 30_001, Job = "j1", Http = 200, Status = "FAILED", Error = "worker lost 3 times (lease expired without a heartbeat); not retried again" },
        };

        var v = Assert.Single(Check(events, Invariants.WorkerLostEqualsKills).Violations);
        Assert.Contains("attempt 3", v.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Only_a_503_inside_a_declared_outage_is_allowed()
    {
        HistoryEvent Answer(long t, int http) => new() { Type = EventTypes.Status, T0 = t - 5, T = t, Job = "j1", Http = http };
        var outage = Outage(10_000, 20_000);

        Assert.True(Check(Clean().With(outage, Answer(15_000, 503)), Invariants.No5xxOutsideOutages).Holds);
        Assert.True(Check(Clean().With(outage, Answer(24_000, 503)), Invariants.No5xxOutsideOutages).Holds);
        Assert.Single(Check(Clean().With(outage, Answer(40_000, 503)), Invariants.No5xxOutsideOutages).Violations);
        Assert.Single(Check(Clean().With(outage, Answer(15_000, 500)), Invariants.No5xxOutsideOutages).Violations);
        Assert.Single(Check(Clean().With(new HistoryEvent { Type = EventTypes.ServerError, T = 5000, Http = 502, Target = "ping" }), Invariants.No5xxOutsideOutages).Violations);
    }

    [Fact]
    public void A_job_in_progress_past_its_timeout_plus_lease_plus_two_sweeps_is_stuck()
    {
        const long timeout = 5000;
        var bound = timeout + Lease + 2000 + 1000;
        List<HistoryEvent> Seen(long after) =>
        [
            Submit("j1", 1000, "hang", timeoutMs: timeout), Take("j1", 1010, 1, 100),
            Read("j1", 1000 + 10 + after + 3, "IN_PROGRESS", delay: 10),
            Read("j1", 1000 + after + 60_000, "TIMED_OUT"),
        ];

        Assert.True(Check(Seen(bound - 500), Invariants.NothingStuckInProgress).Holds);
        Assert.Single(Check(Seen(bound + 500), Invariants.NothingStuckInProgress).Violations);
    }
}

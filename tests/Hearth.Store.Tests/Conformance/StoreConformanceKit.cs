using System.Collections.Concurrent;
using Hearth.Core.Jobs;
using Hearth.Store.Jobs;

namespace Hearth.Store.Tests.Conformance;

/// <summary>
/// The store scenarios every backend must pass. Backends run them through <see cref="StoreConformanceTests"/>;
/// <see cref="BrokenStoreTests"/> proves the kit catches a store that breaks the rules.
/// Times are virtual: the kit passes "now" explicitly, as the server does from its TimeProvider.
/// </summary>
public sealed partial class StoreConformanceKit(IHearthStore store, IHearthStore? limited = null)
{
    public const long Lease = 30_000;
    private const long T0 = 1_700_000_000_000;
    private static readonly SweepLimits Limits = new(MaxWorkerLost: 2, Batch: 1000);

    private static string NewEndpoint() => "ep-" + Guid.NewGuid().ToString("N")[..12];

    private static NewJob Job(string id, long now = T0, bool low = false, long ttl = JobLimits.DefaultTtlMs, long exec = 600_000, long retention = JobLimits.RunRetentionMs) =>
        new(id, "{\"id\":\"" + id + "\",\"input\":{\"n\":1}}", now, ttl, exec, retention, low, null);

    public async Task No_job_is_handed_out_twice_with_8_concurrent_takers(int jobs = 10_000)
    {
        var ep = NewEndpoint();
        for (var start = 0; start < jobs; start += 500)
        {
            await Task.WhenAll(Enumerable.Range(start, Math.Min(500, jobs - start)).Select(i => store.SubmitAsync(ep, Job($"j{i}"))));
        }

        var seen = new ConcurrentDictionary<string, int>();
        var handedOut = 0;
        var takers = Enumerable.Range(0, 8).Select(async w =>
        {
            var now = T0;

            // Bounded: a store that requeues behind the takers' backs would otherwise never run dry.
            while (Volatile.Read(ref handedOut) < jobs * 2)
            {
                var batch = await store.TakeAsync(ep, $"w{w}", max: 1 + (w % 4), now++, Lease);
                if (batch.Count == 0)
                {
                    return;
                }

                foreach (var j in batch)
                {
                    Interlocked.Increment(ref handedOut);
                    seen.AddOrUpdate(j.Id, 1, (_, c) => c + 1);
                }
            }
        });
        await Task.WhenAll(takers);

        Assert.Equal(jobs, seen.Count);
        Assert.All(seen, kv => Assert.Equal(1, kv.Value));
    }

    public async Task Lease_expiry_requeues_and_fences_the_old_holder()
    {
        var ep = NewEndpoint();
        await store.SubmitAsync(ep, Job("a") with { TraceContext = "4bf92f3577b34da6a3ce929d0e0e4736 00f067aa0ba902b7 " });
        var first = Assert.Single(await store.TakeAsync(ep, "w1", 1, T0, Lease));
        Assert.Equal(1, first.Attempt);

        Assert.True((await store.SweepAsync(ep, T0 + Lease - 1, Limits)).IsEmpty);
        var swept = await store.SweepAsync(ep, T0 + Lease + 1, Limits);
        Assert.Equal(["a"], swept.Requeued);
        Assert.Equal(JobStatus.InQueue, (await store.GetAsync(ep, "a"))!.Status);

        var second = Assert.Single(await store.TakeAsync(ep, "w2", 1, T0 + Lease + 2, Lease));
        Assert.Equal(2, second.Attempt);

        var stale = await store.CompleteAsync(ep, new JobCompletion("a", "w1", null, T0 + Lease + 3, false, "1", null));
        Assert.Equal(HolderCheck.NotHolder, stale.Check);
        var ok = await store.CompleteAsync(ep, new JobCompletion("a", "w2", 2, T0 + Lease + 10, false, "\"done\"", null));
        Assert.Equal(HolderCheck.Accepted, ok.Check);

        var snap = (await store.GetAsync(ep, "a"))!;
        Assert.Equal(JobStatus.Completed, snap.Status);
        Assert.Equal("w2", snap.WorkerId);
        Assert.Equal("\"done\"", snap.OutputJson);
        Assert.Equal(1, snap.WorkerLost);
        Assert.Equal(8, snap.ExecutionTimeMs);

        // The accepted result returns what the job's trace needs, equal to a read of the job.
        Assert.NotNull(ok.Final);
        Assert.Equal((snap.Status, snap.WorkerId, snap.DelayTimeMs, snap.ExecutionTimeMs, snap.Attempt, snap.SubmittedMs, snap.TraceContext),
            (ok.Final.Status, ok.Final.WorkerId, ok.Final.DelayTimeMs, ok.Final.ExecutionTimeMs, ok.Final.Attempt, ok.Final.SubmittedMs, ok.Final.TraceContext));
        Assert.Null(stale.Final);
        Assert.Equal("4bf92f3577b34da6a3ce929d0e0e4736 00f067aa0ba902b7 ", ok.Final.TraceContext);

        // The old holder learns to stop on its next heartbeat.
        var beat = await store.HeartbeatAsync(ep, "w1", ["a"], T0 + Lease + 11, Lease);
        Assert.Equal(["a"], beat.ToStop.Select(o => o.JobId));
    }

    public async Task A_released_job_is_requeued_at_the_front_without_counting_a_loss()
    {
        var ep = NewEndpoint();
        await store.SubmitAsync(ep, Job("a"));
        await store.SubmitAsync(ep, Job("b"));
        Assert.Equal("a", Assert.Single(await store.TakeAsync(ep, "w1", 1, T0, Lease)).Id);
        Assert.Equal(HolderCheck.NotHolder, await store.ReleaseAsync(ep, "a", "w2"));
        Assert.Equal(HolderCheck.Accepted, await store.ReleaseAsync(ep, "a", "w1"));
        Assert.True((await store.SweepAsync(ep, T0 + Lease + 1, Limits)).IsEmpty);
        var again = Assert.Single(await store.TakeAsync(ep, "w2", 1, T0 + Lease + 2, Lease));
        Assert.Equal("a", again.Id);
        Assert.Equal(0, (await store.GetAsync(ep, "a"))!.WorkerLost);
        Assert.Equal(HolderCheck.NotHolder, (await store.CompleteAsync(ep, new JobCompletion("a", "w1", null, T0 + Lease + 3, false, "1", null))).Check);

        // A session's job handed back by its bound worker (it is leaving) goes to another live worker at once.
        ep = NewEndpoint();
        await store.SubmitAsync(ep, Job("s") with { SessionId = "conv" });
        Assert.Equal("s", Assert.Single(await store.TakeAsync(ep, "w3", 1, T0 + Lease + 4, Lease)).Id);
        Assert.Equal(HolderCheck.Accepted, await store.ReleaseAsync(ep, "s", "w3"));
        Assert.Equal("s", Assert.Single(await store.TakeAsync(ep, "w2", 1, T0 + Lease + 5, Lease)).Id);
    }

    public async Task Worker_lost_past_the_cap_fails_the_job()
    {
        var ep = NewEndpoint();
        await store.SubmitAsync(ep, Job("a"));
        var now = T0;
        for (var attempt = 1; attempt <= 3; attempt++)
        {
            Assert.Single(await store.TakeAsync(ep, $"w{attempt}", 1, now, Lease));
            now += Lease + 1;
            await store.SweepAsync(ep, now, Limits);
        }

        var snap = (await store.GetAsync(ep, "a"))!;
        Assert.Equal(JobStatus.Failed, snap.Status);
        Assert.Equal(JobReasons.WorkerLostLimit, snap.Reason);
        Assert.Empty(await store.TakeAsync(ep, "w9", 1, now, Lease));
    }

    public async Task A_worker_seen_to_exit_loses_its_jobs_at_once_and_only_its_own()
    {
        var ep = NewEndpoint();
        await store.SubmitAsync(ep, Job("a"));
        await store.SubmitAsync(ep, Job("b", now: T0 + 1));
        await store.SubmitAsync(ep, Job("c", now: T0 + 2));
        Assert.Equal(["a", "b"], (await store.TakeAsync(ep, "w1", 2, T0 + 10, Lease)).Select(j => j.Id));
        Assert.Equal("c", Assert.Single(await store.TakeAsync(ep, "w2", 1, T0 + 10, Lease)).Id);

        // Long before the lease would expire, w1's exit puts its jobs back at the front; w2 keeps c.
        var lost = await store.LoseWorkerAsync(ep, "w1", T0 + 20, 2, "its process exited with code 137");
        Assert.Equal(["a", "b"], lost.Requeued.Order(StringComparer.Ordinal));
        Assert.Empty(lost.Finalized);
        var requeued = (await store.GetAsync(ep, "a"))!;
        Assert.Equal((JobStatus.InQueue, 1), (requeued.Status, requeued.WorkerLost));
        Assert.Equal(JobStatus.InProgress, (await store.GetAsync(ep, "c"))!.Status);
        Assert.Equal(HolderCheck.NotHolder,
            (await store.CompleteAsync(ep, new JobCompletion("a", "w1", 1, T0 + 21, false, "1", null))).Check);
        var again = await store.TakeAsync(ep, "w3", 5, T0 + 30, Lease);
        Assert.Equal(["a", "b"], again.Select(j => j.Id).Order(StringComparer.Ordinal));
        Assert.True((await store.LoseWorkerAsync(ep, "w1", T0 + 31, 2, "again")).IsEmpty);

        // Past the cap the job fails, and its error says how its last holder was lost.
        await store.LoseWorkerAsync(ep, "w3", T0 + 40, 2, "its process exited with code 3");
        Assert.Equal(2, (await store.TakeAsync(ep, "w4", 5, T0 + 50, Lease)).Count);
        const string how = "its process exited with code 3: dying on purpose";
        var failed = await store.LoseWorkerAsync(ep, "w4", T0 + 60, 2, how);
        Assert.Equal(["a", "b"], failed.Finalized.Order(StringComparer.Ordinal));
        Assert.Empty(failed.Requeued);
        var a = (await store.GetAsync(ep, "a"))!;
        Assert.Equal((JobStatus.Failed, JobReasons.WorkerLostLimit), (a.Status, a.Reason));
        Assert.Equal($"worker lost 3 times ({how}); not retried again", a.Error);
    }

    public async Task A_retried_job_starts_clean_of_its_last_attempts_stop_order_and_runaway_mark()
    {
        var ep = NewEndpoint();
        await store.SubmitAsync(ep, Job("a", exec: 1_000));
        Assert.Single(await store.TakeAsync(ep, "w1", 1, T0, Lease));
        Assert.Equal(["a"], (await store.SweepAsync(ep, T0 + 1_001, Limits)).Finalized);

        // w1 keeps running it after the timeout: told to stop, and marked a runaway.
        Assert.Equal(["a"], (await store.HeartbeatAsync(ep, "w1", ["a"], T0 + 1_002, Lease)).ToStop.Select(o => o.JobId));
        Assert.Equal("w1", Assert.Single((await store.ViewAsync(ep)).Runaways).WorkerId);

        Assert.Equal(JobStatus.InQueue, (await store.RetryAsync(ep, "a", T0 + 1_003)).Status);
        Assert.Empty((await store.ViewAsync(ep)).Runaways); // w1 is not killed for a job that is queued again
        var again = Assert.Single(await store.TakeAsync(ep, "w2", 1, T0 + 1_004, Lease));
        Assert.Equal(2, again.Attempt);
        var beat = await store.HeartbeatAsync(ep, "w2", ["a"], T0 + 1_005, Lease);
        Assert.Equal(["a"], beat.Renewed);
        Assert.Empty(beat.ToStop);
        Assert.Empty(await store.TakeStopSignalsAsync(ep, "w2"));
    }

    public async Task Heartbeats_keep_the_lease()
    {
        var ep = NewEndpoint();
        await store.SubmitAsync(ep, Job("a"));
        await store.TakeAsync(ep, "w1", 1, T0, Lease);
        var beat = await store.HeartbeatAsync(ep, "w1", ["a"], T0 + 20_000, Lease);
        Assert.Equal(["a"], beat.Renewed);
        Assert.True((await store.SweepAsync(ep, T0 + Lease + 1, Limits)).IsEmpty);
        Assert.Equal(JobStatus.InProgress, (await store.GetAsync(ep, "a"))!.Status);
    }

    public async Task Completion_from_a_non_holder_is_refused_and_changes_nothing()
    {
        var ep = NewEndpoint();
        await store.SubmitAsync(ep, Job("a"));
        await store.TakeAsync(ep, "w1", 1, T0, Lease);

        Assert.Equal(HolderCheck.NotHolder, (await store.CompleteAsync(ep, new JobCompletion("a", "w2", null, T0 + 1, false, "1", null))).Check);
        Assert.Equal(HolderCheck.NotHolder, (await store.CompleteAsync(ep, new JobCompletion("a", "w1", 7, T0 + 1, false, "1", null))).Check);
        Assert.Equal(HolderCheck.NotHolder, await store.AppendStreamAsync(ep, "a", "w2", "1"));
        Assert.Equal(HolderCheck.NotFound, (await store.CompleteAsync(ep, new JobCompletion("nope", "w1", null, T0 + 1, false, "1", null))).Check);
        Assert.Equal(JobStatus.InProgress, (await store.GetAsync(ep, "a"))!.Status);

        Assert.Equal(HolderCheck.Accepted, (await store.CompleteAsync(ep, new JobCompletion("a", "w1", 1, T0 + 5, true, null, "boom"))).Check);
        var second = await store.CompleteAsync(ep, new JobCompletion("a", "w1", 1, T0 + 6, false, "2", null));
        Assert.Equal(HolderCheck.NotHolder, second.Check);
        var snap = (await store.GetAsync(ep, "a"))!;
        Assert.Equal(JobStatus.Failed, snap.Status);
        Assert.Equal("boom", snap.Error);
        Assert.Null(snap.OutputJson);
    }

    public async Task Purge_cancels_queued_jobs_only()
    {
        var ep = NewEndpoint();
        for (var i = 0; i < 5; i++)
        {
            await store.SubmitAsync(ep, Job($"j{i}", low: i == 4));
        }

        await store.TakeAsync(ep, "w1", 1, T0, Lease);
        Assert.Equal(["j1", "j2", "j3", "j4"], (await store.PurgeQueueAsync(ep, T0 + 1)).Order(StringComparer.Ordinal));
        Assert.Equal(JobStatus.InProgress, (await store.GetAsync(ep, "j0"))!.Status);
        Assert.Equal(JobStatus.Cancelled, (await store.GetAsync(ep, "j3"))!.Status);
        Assert.Empty(await store.TakeAsync(ep, "w1", 10, T0 + 2, Lease));
        var counters = await store.CountAsync(ep, T0 + 2, Lease);
        Assert.Equal(0, counters.InQueue);
        Assert.Equal(1, counters.InProgress);
    }

    public async Task Ttl_deletes_the_job_whatever_its_state()
    {
        var ep = NewEndpoint();
        await store.SubmitAsync(ep, Job("queued", ttl: 10_000));
        await store.SubmitAsync(ep, Job("kept", ttl: 60_000));
        Assert.True((await store.SweepAsync(ep, T0 + 9_999, Limits)).IsEmpty);
        var swept = await store.SweepAsync(ep, T0 + 10_001, Limits);
        Assert.Equal(["queued"], swept.Deleted);
        Assert.Equal(["queued"], swept.Expired);
        Assert.Null(await store.GetAsync(ep, "queued"));
        Assert.Equal("kept", Assert.Single(await store.TakeAsync(ep, "w1", 10, T0 + 10_002, Lease)).Id);
    }

    public async Task Ttl_reports_the_jobs_it_ends_before_a_final_state()
    {
        var ep = NewEndpoint();
        await store.SubmitAsync(ep, Job("running", ttl: 10_000));
        await store.SubmitAsync(ep, Job("done", ttl: 10_000));
        await store.SubmitAsync(ep, Job("queued", ttl: 10_000));
        await store.TakeAsync(ep, "w1", 2, T0, Lease);
        await store.CompleteAsync(ep, new JobCompletion("done", "w1", 1, T0 + 100, false, "{}", null));

        var swept = await store.SweepAsync(ep, T0 + 10_001, Limits);
        Assert.Equal(["done", "queued", "running"], swept.Deleted.Order(StringComparer.Ordinal));
        Assert.Equal(["queued", "running"], swept.Expired.Order(StringComparer.Ordinal));
    }

    public async Task Results_are_deleted_after_retention()
    {
        var ep = NewEndpoint();
        await store.SubmitAsync(ep, Job("a", retention: 60_000));
        await store.TakeAsync(ep, "w1", 1, T0, Lease);
        await store.CompleteAsync(ep, new JobCompletion("a", "w1", 1, T0 + 100, false, "{}", null));
        Assert.True((await store.SweepAsync(ep, T0 + 60_099, Limits)).IsEmpty);
        var swept = await store.SweepAsync(ep, T0 + 60_101, Limits);
        Assert.Equal(["a"], swept.Deleted);
        Assert.Empty(swept.Expired); // it ended COMPLETED, not here
        Assert.Null(await store.GetAsync(ep, "a"));
    }

    public async Task Normal_jobs_go_before_low_priority_ones()
    {
        var ep = NewEndpoint();
        await store.SubmitAsync(ep, Job("low1", low: true));
        await store.SubmitAsync(ep, Job("n1"));
        await store.SubmitAsync(ep, Job("low2", low: true));
        await store.SubmitAsync(ep, Job("n2"));
        var order = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            order.Add(Assert.Single(await store.TakeAsync(ep, "w", 1, T0 + i, Lease)).Id);
        }

        Assert.Equal(["n1", "n2", "low1", "low2"], order);
    }

    public async Task Execution_timeout_times_out_and_signals_the_holder()
    {
        var ep = NewEndpoint();
        await store.SubmitAsync(ep, Job("a", exec: 5_000));
        await store.TakeAsync(ep, "w1", 1, T0, Lease);
        Assert.Equal(["a"], (await store.SweepAsync(ep, T0 + 5_001, Limits)).Finalized);
        var snap = (await store.GetAsync(ep, "a"))!;
        Assert.Equal(JobStatus.TimedOut, snap.Status);
        Assert.Equal(JobReasons.ExecutionTimeout, snap.Reason);
        Assert.Equal([new StopOrder("a", 1)], await store.TakeStopSignalsAsync(ep, "w1"));
        Assert.Empty(await store.TakeStopSignalsAsync(ep, "w1"));

        // The worker still reports the job: a runaway, until it lets go. Its grace runs from the first heartbeat that
        // told it (a worker paused across the stop could not hear it before), not from the stop order.
        await store.HeartbeatAsync(ep, "w1", ["a"], T0 + 5_500, Lease);
        await store.HeartbeatAsync(ep, "w1", ["a"], T0 + 5_550, Lease);
        Assert.Equal([new RunawayJob("a", "w1", T0 + 5_500, T0 + 5_550)], (await store.ViewAsync(ep)).Runaways);

        // Heard from again only after a silence longer than the grace (frozen, cut off): its grace starts over, for
        // this answer tells it once more.
        await store.HeartbeatAsync(ep, "w1", ["a"], T0 + 15_551, Lease);
        Assert.Equal([new RunawayJob("a", "w1", T0 + 15_551, T0 + 15_551)], (await store.ViewAsync(ep)).Runaways);
        await store.HeartbeatAsync(ep, "w1", [], T0 + 15_600, Lease);
        Assert.Empty((await store.ViewAsync(ep)).Runaways);

        // A worker that posts the result of a job it was told to stop has let go of it too.
        await store.HeartbeatAsync(ep, "w1", ["a"], T0 + 5_700, Lease);
        Assert.Equal([new RunawayJob("a", "w1", T0 + 5_700, T0 + 5_700)], (await store.ViewAsync(ep)).Runaways);
        Assert.Equal(HolderCheck.NotHolder, (await store.CompleteAsync(ep, new JobCompletion("a", "w1", null,
            T0 + 5_800, false, "1", null))).Check);
        Assert.Empty((await store.ViewAsync(ep)).Runaways);
        Assert.Equal(HolderCheck.NotHolder, (await store.CompleteAsync(ep, new JobCompletion("a", "w1", null, T0 + 6_000, false, "1", null))).Check);
        Assert.Equal(JobStatus.TimedOut, (await store.GetAsync(ep, "a"))!.Status);
    }

    public async Task Cancel_and_retry_follow_the_state_machine()
    {
        var ep = NewEndpoint();
        await store.SubmitAsync(ep, Job("q"));
        await store.SubmitAsync(ep, Job("r"));
        Assert.Equal(new TransitionResult(true, true, JobStatus.Cancelled), await store.CancelAsync(ep, "q", T0));
        Assert.Equal(new TransitionResult(true, false, JobStatus.Cancelled), await store.CancelAsync(ep, "q", T0));
        Assert.Equal(new TransitionResult(false, false, null), await store.CancelAsync(ep, "nope", T0));

        Assert.Equal("r", Assert.Single(await store.TakeAsync(ep, "w1", 5, T0, Lease)).Id);
        Assert.Equal(new TransitionResult(true, false, JobStatus.InProgress), await store.RetryAsync(ep, "r", T0));
        await store.CompleteAsync(ep, new JobCompletion("r", "w1", null, T0 + 1, true, null, "bad"));
        Assert.Equal(new TransitionResult(true, true, JobStatus.InQueue), await store.RetryAsync(ep, "r", T0 + 2));
        var again = Assert.Single(await store.TakeAsync(ep, "w2", 5, T0 + 3, Lease));
        Assert.Equal(2, again.Attempt);
        var snap = (await store.GetAsync(ep, "r"))!;
        Assert.Null(snap.Error);
        Assert.Equal(1, (await store.CountAsync(ep, T0 + 3, Lease)).Retried);

        Assert.Equal(new TransitionResult(true, true, JobStatus.Cancelled), await store.CancelAsync(ep, "r", T0 + 4));
        Assert.Equal(["r"], (await store.TakeStopSignalsAsync(ep, "w2")).Select(o => o.JobId));
    }

    public async Task Stream_reads_return_only_new_chunks()
    {
        var ep = NewEndpoint();
        await store.SubmitAsync(ep, Job("a"));
        await store.TakeAsync(ep, "w1", 1, T0 + 40, Lease);
        await store.AppendStreamAsync(ep, "a", "w1", """{"i":0}""");
        await store.AppendStreamAsync(ep, "a", "w1", """{"i":1}""");
        var first = (await store.ReadStreamAsync(ep, "a"))!;
        Assert.Equal([@"{""i"":0}", @"{""i"":1}"], first.Chunks);
        Assert.Equal(40, first.DelayTimeMs);
        Assert.Empty((await store.ReadStreamAsync(ep, "a"))!.Chunks);
        await store.AppendStreamAsync(ep, "a", "w1", """{"i":2}""");
        Assert.Equal([@"{""i"":2}"], (await store.ReadStreamAsync(ep, "a"))!.Chunks);
        Assert.Null(await store.ReadStreamAsync(ep, "missing"));
    }

    public async Task The_view_shows_queues_the_oldest_job_and_who_holds_what()
    {
        var ep = NewEndpoint();
        await store.SubmitAsync(ep, Job("low", now: T0, low: true));
        await store.SubmitAsync(ep, Job("a", now: T0 + 5));
        await store.SubmitAsync(ep, Job("b", now: T0 + 9));
        await store.SubmitAsync(ep, Job("c", now: T0 + 12));
        await store.TakeAsync(ep, "w1", 1, T0 + 20, Lease);
        await store.TakeAsync(ep, "w2", 0, T0 + 21, Lease);
        var view = await store.ViewAsync(ep);
        Assert.Equal(2, view.InQueue);
        Assert.Equal(1, view.InQueueLowPriority);
        Assert.Equal(T0 + 9, view.OldestSubmittedMs);
        Assert.Equal(1, view.InProgress);
        Assert.Equal(new Dictionary<string, long> { ["w1"] = T0 + 20, ["w2"] = T0 + 21 }, view.LastSeenMs);
        Assert.Equal(new Dictionary<string, int> { ["w1"] = 1 }, view.Holding);
        await store.CompleteAsync(ep, new JobCompletion("a", "w1", null, T0 + 30, false, "1", null));
        Assert.Equal(new Dictionary<string, long> { ["w1"] = 1 }, (await store.ViewAsync(ep)).Finished);
        Assert.Null((await store.ViewAsync(NewEndpoint())).OldestSubmittedMs);
    }

    public async Task One_leader_at_a_time_with_a_growing_epoch()
    {
        var role = "test-" + Guid.NewGuid().ToString("N");
        var first = await store.TryLeadAsync(role, "a", TimeSpan.FromSeconds(30));
        Assert.True(first > 0);
        Assert.Equal(0, await store.TryLeadAsync(role, "b", TimeSpan.FromSeconds(30)));
        Assert.Equal(first, await store.TryLeadAsync(role, "a", TimeSpan.FromSeconds(30)));
        var shortRole = "test-" + Guid.NewGuid().ToString("N");
        var e1 = await store.TryLeadAsync(shortRole, "a", TimeSpan.FromMilliseconds(50));
        var e2 = 0L;
        for (var i = 0; i < 200 && e2 == 0; i++)
        {
            // The lease is the server's own key expiry, so this one scenario waits on real time (bounded).
            await Task.Delay(10);
            e2 = await store.TryLeadAsync(shortRole, "b", TimeSpan.FromSeconds(30));
        }

        Assert.True(e2 > e1, "a new leader takes over once the old lease expires, with a larger epoch");
    }

    public async Task Steps_are_journaled_by_the_holder_and_survive_a_requeue()
    {
        var ep = NewEndpoint();
        await store.SubmitAsync(ep, Job("a", retention: 1_000));
        await store.TakeAsync(ep, "w1", 1, T0, Lease);
        Assert.Equal(StepWrite.Written, await store.PutStepAsync(ep, "a", "w1", "decompose", """["q1","q2"]""", T0 + 1));
        Assert.Equal(StepWrite.NotHolder, await store.PutStepAsync(ep, "a", "w2", "search", "1", T0 + 2));
        Assert.Equal(StepWrite.Written, await store.PutStepAsync(ep, "a", "w1", "web-retrieval[2]", "{\"n\":2}", T0 + 3));
        Assert.Equal(StepWrite.AlreadyJournaled, await store.PutStepAsync(ep, "a", "w1", "decompose", "\"other\"", T0 + 4));
        Assert.Null(await store.GetStepsAsync(ep, "a", "w2"));

        // The worker is lost; the next holder rehydrates from the journal.
        await store.SweepAsync(ep, T0 + Lease + 1, Limits);
        await store.TakeAsync(ep, "w2", 1, T0 + Lease + 2, Lease);
        var steps = await store.GetStepsAsync(ep, "a", "w2");
        Assert.Equal([new("decompose", """["q1","q2"]"""), new("web-retrieval[2]", "{\"n\":2}")], steps!);
        Assert.Equal(StepWrite.NotHolder, await store.PutStepAsync(ep, "a", "w1", "late", "1", T0 + Lease + 3));

        // Two jobs of one named session share its journal.
        await store.SubmitAsync(ep, Job("s1") with { SessionId = "chat-7" });
        await store.SubmitAsync(ep, Job("s2") with { SessionId = "chat-7" });
        await store.TakeAsync(ep, "w3", 1, T0, Lease);
        Assert.Equal(StepWrite.Written, await store.PutStepAsync(ep, "s1", "w3", "turn-1", "1", T0 + 1));
        await store.CompleteAsync(ep, new JobCompletion("s1", "w3", null, T0 + 2, false, "1", null));
        await store.TakeAsync(ep, "w3", 1, T0 + 3, Lease);
        Assert.Equal([new("turn-1", "1")], (await store.GetStepsAsync(ep, "s2", "w3"))!);
    }

    public async Task A_session_stays_with_its_worker_while_it_lives()
    {
        var ep = NewEndpoint();
        await store.SubmitAsync(ep, Job("s1") with { SessionId = "chat" });
        Assert.Equal("s1", Assert.Single(await store.TakeAsync(ep, "w1", 1, T0, Lease)).Id);
        await store.CompleteAsync(ep, new JobCompletion("s1", "w1", null, T0 + 1, false, "1", null));

        // The session's next job waits for w1 even though w2 asks first; w2 gets the unrelated job.
        await store.SubmitAsync(ep, Job("s2", now: T0 + 2) with { SessionId = "chat" });
        await store.SubmitAsync(ep, Job("other", now: T0 + 3));
        Assert.Equal(["other"], (await store.TakeAsync(ep, "w2", 5, T0 + 4, Lease)).Select(j => j.Id));
        Assert.Equal(1, (await store.CountAsync(ep, T0 + 4, Lease)).InQueue);
        Assert.Equal("s2", Assert.Single(await store.TakeAsync(ep, "w1", 5, T0 + 5, Lease)).Id);
        await store.CompleteAsync(ep, new JobCompletion("s2", "w1", null, T0 + 6, false, "1", null));

        // w1 is gone (unseen for two leases): the session's next job goes to whoever asks, and binds there.
        await store.SubmitAsync(ep, Job("s3", now: T0 + 7) with { SessionId = "chat" });
        var later = T0 + (3 * Lease);
        Assert.Equal("s3", Assert.Single(await store.TakeAsync(ep, "w2", 5, later, Lease)).Id);
        await store.SubmitAsync(ep, Job("s4", now: later + 1) with { SessionId = "chat" });
        Assert.Empty(await store.TakeAsync(ep, "w1", 5, later + 2, Lease));
        Assert.Equal("s4", Assert.Single(await store.TakeAsync(ep, "w2", 5, later + 3, Lease)).Id);
    }

    public async Task Session_state_is_fenced_listed_and_expires_when_idle()
    {
        var ep = NewEndpoint();
        const long idle = 1_800_000;
        await store.SubmitAsync(ep, Job("s1") with { SessionId = "chat", SessionIdleMs = idle });
        await store.TakeAsync(ep, "w1", 1, T0, Lease);

        // State: set, overwrite, read back; a non-holder can neither read nor write.
        Assert.Equal(StateWrite.Written, await store.PutStateAsync(ep, "s1", "w1", "plan", "[1]", T0 + 1));
        Assert.Equal(StateWrite.Written, await store.PutStateAsync(ep, "s1", "w1", "plan", "[1,2]", T0 + 2));
        Assert.Equal(new StateRead(true, "[1,2]"), await store.GetStateAsync(ep, "s1", "w1", "plan"));
        Assert.Equal(new StateRead(true, null), await store.GetStateAsync(ep, "s1", "w1", "unset"));
        Assert.Equal(StateWrite.NotHolder, await store.PutStateAsync(ep, "s1", "w2", "plan", "0", T0 + 3));
        Assert.False((await store.GetStateAsync(ep, "s1", "w2", "plan")).Found);
        Assert.Equal(StateWrite.NotFound, await store.PutStateAsync(ep, "nope", "w1", "plan", "0", T0 + 3));
        Assert.Equal(StepWrite.Written, await store.PutStepAsync(ep, "s1", "w1", "decompose", "\"abc\"", T0 + 4));
        Assert.Equal(StateWrite.Written, await store.PutStateAsync(ep, "s1", "w1", "gone", "true", T0 + 5));
        Assert.Equal(StateWrite.Written, await store.PutStateAsync(ep, "s1", "w1", "gone", null, T0 + 6));
        await store.CompleteAsync(ep, new JobCompletion("s1", "w1", null, T0 + 10, false, "1", null));

        // Listed with its binding, its last activity (the result) and expiry one idle timeout later.
        var summary = Assert.Single(await store.ListSessionsAsync(ep, 100));
        Assert.Equal(new SessionSummary("chat", "w1", T0 + 10, T0 + 10 + idle, Steps: 1, StateKeys: 1), summary);
        var detail = await store.GetSessionAsync(ep, "chat", previewBytes: 2);
        Assert.NotNull(detail);
        Assert.Equal(idle, detail.IdleMs);
        Assert.Equal(new JournaledStep("decompose", "s1", T0 + 4, 5, "\"a"), Assert.Single(detail.Steps));
        Assert.Equal(new StateValue("plan", 5, "[1"), Assert.Single(detail.State));
        Assert.Null(await store.GetSessionAsync(ep, "unknown", 10));

        // Stand-alone jobs are not sessions.
        await store.SubmitAsync(ep, Job("solo"));
        Assert.Single(await store.ListSessionsAsync(ep, 100));

        // Idle past its timeout: journal, state and binding are gone; a new job of the session starts afresh.
        Assert.Empty((await store.SweepAsync(ep, T0 + 10 + idle - 1, Limits)).ExpiredSessions);
        Assert.Equal(["chat"], (await store.SweepAsync(ep, T0 + 10 + idle, Limits)).ExpiredSessions);
        Assert.Empty(await store.ListSessionsAsync(ep, 100));
        Assert.Null(await store.GetSessionAsync(ep, "chat", 10));
        var later = T0 + idle + Lease;
        await store.SubmitAsync(ep, Job("s2", now: later) with { SessionId = "chat", SessionIdleMs = idle });
        Assert.Contains("s2", (await store.TakeAsync(ep, "w2", 5, later + 1, Lease)).Select(j => j.Id));
        Assert.Empty((await store.GetStepsAsync(ep, "s2", "w2"))!);
        Assert.Equal(new StateRead(true, null), await store.GetStateAsync(ep, "s2", "w2", "plan"));
    }

    public async Task A_running_job_keeps_its_session_alive()
    {
        var ep = NewEndpoint();
        const long idle = 1_800_000;
        await store.SubmitAsync(ep, Job("s1", exec: 10 * idle) with { SessionId = "long", SessionIdleMs = idle });
        await store.TakeAsync(ep, "w1", 1, T0, Lease);

        // Heartbeats of a job that runs longer than the idle timeout keep pushing the expiry back.
        for (var now = T0 + Lease / 2; now < T0 + (2 * idle); now += Lease / 2)
        {
            await store.HeartbeatAsync(ep, "w1", ["s1"], now, Lease);
            Assert.Empty((await store.SweepAsync(ep, now, Limits)).ExpiredSessions);
        }

        Assert.Equal("w1", Assert.Single(await store.ListSessionsAsync(ep, 10)).Worker);
    }

    public async Task An_idempotency_key_returns_the_first_job_and_refuses_another_body()
    {
        var ep = NewEndpoint();
        var claim = new IdempotencyClaim("client-a\norder-1", "hash-1", TtlMs: 1000);
        Assert.Equal(new SubmitResult(SubmitOutcome.Created, "a"), await store.SubmitOnceAsync(ep, Job("a") with { Idempotency = claim }));
        Assert.Equal(new SubmitResult(SubmitOutcome.Replayed, "a"), await store.SubmitOnceAsync(ep, Job("b", now: T0 + 10) with { Idempotency = claim }));
        Assert.Equal(new SubmitResult(SubmitOutcome.KeyReused, "a"), await store.SubmitOnceAsync(ep, Job("c", now: T0 + 20) with { Idempotency = claim with { BodyHash = "hash-2" } }));
        Assert.Null(await store.GetAsync(ep, "b"));
        Assert.Null(await store.GetAsync(ep, "c"));
        Assert.Equal(1, (await store.CountAsync(ep, T0 + 30, Lease)).InQueue);

        // Another caller's key of the same name is its own; and past the window the key is free again.
        Assert.Equal(SubmitOutcome.Created, (await store.SubmitOnceAsync(ep, Job("d") with { Idempotency = claim with { Key = "client-b\norder-1" } })).Outcome);
        await store.SweepAsync(ep, T0 + 1000, Limits);
        Assert.Equal(new SubmitResult(SubmitOutcome.Created, "e"), await store.SubmitOnceAsync(ep, Job("e", now: T0 + 1001) with { Idempotency = claim with { BodyHash = "hash-2" } }));
        Assert.Equal(SubmitOutcome.DuplicateId, (await store.SubmitOnceAsync(ep, Job("e"))).Outcome);
    }

    public async Task Health_counts_jobs_and_workers()
    {
        var ep = NewEndpoint();
        await store.SubmitAsync(ep, Job("a"));
        await store.SubmitAsync(ep, Job("b"));
        await store.SubmitAsync(ep, Job("c"));
        await store.TakeAsync(ep, "busy", 1, T0, Lease);
        await store.TakeAsync(ep, "done", 1, T0, Lease);
        await store.CompleteAsync(ep, new JobCompletion("b", "done", null, T0 + 1, false, "1", null));
        var c = await store.CountAsync(ep, T0 + 2, Lease);
        Assert.Equal(new EndpointCounters(InQueue: 1, InProgress: 1, Completed: 1, Failed: 0, Retried: 0, WorkersIdle: 1, WorkersRunning: 1), c);
        await store.RetireWorkerAsync(ep, "done", T0 + 2);
        Assert.Empty(await store.TakeAsync(ep, "done", 1, T0 + 3, Lease));
        Assert.Equal(0, (await store.CountAsync(ep, T0 + 3, Lease)).WorkersIdle);

        // Its process exits; a process started under the same id after a quiet spell (a restart) is served again.
        Assert.Empty(await store.TakeAsync(ep, "done", 1, T0 + 2 + RedisHearthStore.RestartQuietMs - 1, Lease));
        Assert.Equal(["c"], (await store.TakeAsync(ep, "done", 1, T0 + 2 + RedisHearthStore.RestartQuietMs, Lease))
            .Select(j => j.Id));
    }
}

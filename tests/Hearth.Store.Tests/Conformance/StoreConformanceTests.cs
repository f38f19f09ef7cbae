using Hearth.Store.Tests.Fixtures;

namespace Hearth.Store.Tests.Conformance;

/// <summary>Runs every kit scenario against one backend; each backend subclasses this once.</summary>
public abstract class StoreConformanceTests
{
    protected abstract IHearthStore Store { get; }

    private StoreConformanceKit Kit => new(Store);

    [Fact] public Task No_job_is_handed_out_twice_with_8_concurrent_takers() => Kit.No_job_is_handed_out_twice_with_8_concurrent_takers();
    [Fact] public Task Lease_expiry_requeues_and_fences_the_old_holder() => Kit.Lease_expiry_requeues_and_fences_the_old_holder();
    [Fact] public Task Worker_lost_past_the_cap_fails_the_job() => Kit.Worker_lost_past_the_cap_fails_the_job();
    [Fact] public Task A_released_job_is_requeued_at_the_front_without_counting_a_loss() => Kit.A_released_job_is_requeued_at_the_front_without_counting_a_loss();
    [Fact] public Task Heartbeats_keep_the_lease() => Kit.Heartbeats_keep_the_lease();
    [Fact] public Task Completion_from_a_non_holder_is_refused_and_changes_nothing() => Kit.Completion_from_a_non_holder_is_refused_and_changes_nothing();
    [Fact] public Task Purge_cancels_queued_jobs_only() => Kit.Purge_cancels_queued_jobs_only();
    [Fact] public Task Cancelled_and_expired_queued_jobs_are_skipped_and_not_counted() => Kit.Cancelled_and_expired_queued_jobs_are_skipped_and_not_counted();
    [Fact] public Task A_deep_queue_is_purged_in_chunks_and_jobs_after_it_stay_takeable() => Kit.A_deep_queue_is_purged_in_chunks_and_jobs_after_it_stay_takeable();
    [Fact] public Task A_worker_finds_its_parked_job_behind_many_parked_for_others() => Kit.A_worker_finds_its_parked_job_behind_many_parked_for_others();
    [Fact] public Task Ttl_deletes_the_job_whatever_its_state() => Kit.Ttl_deletes_the_job_whatever_its_state();
    [Fact] public Task Ttl_reports_the_jobs_it_ends_before_a_final_state() => Kit.Ttl_reports_the_jobs_it_ends_before_a_final_state();
    [Fact] public Task Results_are_deleted_after_retention() => Kit.Results_are_deleted_after_retention();
    [Fact] public Task Normal_jobs_go_before_low_priority_ones() => Kit.Normal_jobs_go_before_low_priority_ones();
    [Fact] public Task Execution_timeout_times_out_and_signals_the_holder() => Kit.Execution_timeout_times_out_and_signals_the_holder();
    [Fact] public Task Cancel_and_retry_follow_the_state_machine() => Kit.Cancel_and_retry_follow_the_state_machine();
    [Fact] public Task Stream_reads_return_only_new_chunks() => Kit.Stream_reads_return_only_new_chunks();
    [Fact] public Task The_view_shows_queues_the_oldest_job_and_who_holds_what() => Kit.The_view_shows_queues_the_oldest_job_and_who_holds_what();
    [Fact] public Task One_leader_at_a_time_with_a_growing_epoch() => Kit.One_leader_at_a_time_with_a_growing_epoch();
    [Fact] public Task Steps_are_journaled_by_the_holder_and_survive_a_requeue() => Kit.Steps_are_journaled_by_the_holder_and_survive_a_requeue();
    [Fact] public Task A_session_stays_with_its_worker_while_it_lives() => Kit.A_session_stays_with_its_worker_while_it_lives();
    [Fact] public Task Session_state_is_fenced_listed_and_expires_when_idle() => Kit.Session_state_is_fenced_listed_and_expires_when_idle();
    [Fact] public Task A_running_job_keeps_its_session_alive() => Kit.A_running_job_keeps_its_session_alive();
    [Fact] public Task An_idempotency_key_returns_the_first_job_and_refuses_another_body() => Kit.An_idempotency_key_returns_the_first_job_and_refuses_another_body();
    [Fact] public Task Health_counts_jobs_and_workers() => Kit.Health_counts_jobs_and_workers();
    [Fact] public Task Recent_jobs_are_listed_newest_first_and_filtered_by_status() => Kit.Recent_jobs_are_listed_newest_first_and_filtered_by_status();
    [Fact] public Task The_recent_index_is_capped_and_forgets_deleted_jobs() => Kit.The_recent_index_is_capped_and_forgets_deleted_jobs();
    [Fact] public Task A_job_detail_has_its_payload_output_and_error() => Kit.A_job_detail_has_its_payload_output_and_error();
}

public sealed class GarnetConformanceTests(GarnetFixture garnet) : StoreConformanceTests, IClassFixture<GarnetFixture>
{
    protected override IHearthStore Store => garnet.Host.Store;
}

[Collection(RedisCollection.Name)]
public sealed class RedisConformanceTests : StoreConformanceTests, IDisposable
{
    private readonly StoreHost _host;

    public RedisConformanceTests(RedisServerFixture redis) => _host = StoreHost.Open(new StoreOptions { Store = redis.Url, Durability = StoreDurability.Memory });

    protected override IHearthStore Store => _host.Store;

    public void Dispose() => _host.Dispose();
}

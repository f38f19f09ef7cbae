using Hearth.Core.Endpoints;
using Hearth.Core.Jobs;
using Hearth.Core.Placement;
using Hearth.Server.Admin;
using Hearth.Server.Hosting;
using Hearth.Server.Jobs;
using Hearth.Server.Nodes;
using Hearth.Server.Scheduling;
using Hearth.Server.Tests.Fixtures;
using Hearth.Store.Jobs;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Hearth.Server.Tests.Scheduling;

/// <summary>
/// The one scheduler's decisions, tick by tick on virtual time, over a real store and an in-memory worker provider
/// whose workers exit when the test says so.
/// </summary>
public sealed class SchedulerTests(GarnetStoreFixture store) : IClassFixture<GarnetStoreFixture>
{
    // One owner for the class: its tests share the store's one scheduler leadership (the same owner renews it).
    private const string Owner = "scheduler-tests";

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 7, 8, 0, 0, TimeSpan.Zero));

    private Scheduler Create(EndpointSpec spec, InMemoryProvider provider, JobService? jobs = null) => new(
        [new ScheduledEndpoint(spec, null)], provider, store.Host.Store, new JobSignals(), new ClusterLeadership(),
        new SchedulerOptions { Owner = Owner }, _time, NullLogger<Scheduler>.Instance, jobs: jobs);

    [Fact]
    public async Task The_jobs_of_a_worker_whose_process_ended_run_again_at_once_not_a_lease_later()
    {
        var spec = new EndpointSpec
        {
            Name = GarnetStoreFixture.UniqueEndpoint("lost"), Cpu = "cpu3c-1-2", WorkersMin = 1, WorkersMax = 1,
        };
        var options = Options.Create(new HearthServerOptions());
        var jobs = new JobService(store.Host.Store, new JobSignals(), _time, options);
        var provider = new InMemoryProvider();
        using var scheduler = Create(spec, provider, jobs);
        await scheduler.TickAsync(CancellationToken.None);
        var worker = Assert.Single(provider.Started);
        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        await store.Host.Store.SubmitAsync(spec.Name, new NewJob(
            "j1", "{\"input\":{}}", now, JobLimits.DefaultTtlMs, 600_000, JobLimits.RunRetentionMs, false, null));
        Assert.Single(await jobs.TakeAsync(spec.Name, worker, 1, wait: false));

        // The process dies one second later, 29 s before its lease would run out.
        _time.Advance(TimeSpan.FromSeconds(1));
        provider.ExitAll(137, "Killed");
        await scheduler.TickAsync(CancellationToken.None);

        var job = (await store.Host.Store.GetAsync(spec.Name, "j1"))!;
        Assert.Equal((JobStatus.InQueue, 1), (job.Status, job.WorkerLost));
        _time.Advance(TimeSpan.FromSeconds(1)); // the replacement waits out the first crash backoff
        await scheduler.TickAsync(CancellationToken.None);
        var next = Assert.Single(provider.Started.Skip(1));
        Assert.Equal("j1", Assert.Single(await jobs.TakeAsync(spec.Name, next, 1, wait: false)).Id);
    }

    [Fact]
    public async Task Workers_that_exit_at_start_are_restarted_with_backoff_never_above_the_max_and_turn_it_unhealthy()
    {
        var spec = new EndpointSpec
        {
            Name = GarnetStoreFixture.UniqueEndpoint("crashy"), Cpu = "cpu3c-1-2", WorkersMin = 2, WorkersMax = 2,
        };
        var provider = new InMemoryProvider();
        using var scheduler = Create(spec, provider);

        await scheduler.TickAsync(CancellationToken.None);
        Assert.Equal(2, provider.Started.Count);
        foreach (var (backoff, unhealthy) in new[] { (2, false), (8, true), (30, true) })
        {
            // Both exit at start; each exit doubles the backoff (1, 2 s; then 4, 8 s …), counted from its report.
            provider.ExitAll(3, "fatal: no model");
            var before = provider.Started.Count;
            await scheduler.TickAsync(CancellationToken.None);
            Assert.Equal(unhealthy, scheduler.Describe(spec.Name)!.State == "Unhealthy");
            _time.Advance(TimeSpan.FromSeconds(backoff) - TimeSpan.FromMilliseconds(1));
            await scheduler.TickAsync(CancellationToken.None);
            Assert.Equal(before, provider.Started.Count);
            _time.Advance(TimeSpan.FromMilliseconds(1));
            await scheduler.TickAsync(CancellationToken.None);
            Assert.Equal(before + 2, provider.Started.Count);
            Assert.True(provider.MostAtOnce <= 2, $"{provider.MostAtOnce} workers at once (max 2)");
        }

        var status = scheduler.Describe(spec.Name)!;
        Assert.Equal("Unhealthy", status.State);
        Assert.Contains("exited with code 3", status.Reason, StringComparison.Ordinal);
        Assert.Contains("fatal: no model", status.Reason, StringComparison.Ordinal);

        // A worker that stays up for the stable time (60 s) makes it healthy again.
        _time.Advance(TimeSpan.FromSeconds(60));
        await scheduler.TickAsync(CancellationToken.None);
        Assert.NotEqual("Unhealthy", scheduler.Describe(spec.Name)!.State);
    }

    [Fact]
    public async Task A_GPU_endpoint_no_node_can_hold_is_throttled_with_the_reason_and_nothing_starts()
    {
        var spec = new EndpointSpec
        {
            Name = GarnetStoreFixture.UniqueEndpoint("llm"), Gpu = ["NVIDIA A100 80GB PCIe"], WorkersMin = 1,
            WorkersMax = 1,
        };
        var provider = new InMemoryProvider();
        using var scheduler = Create(spec, provider);

        await scheduler.TickAsync(CancellationToken.None);

        Assert.Empty(provider.Started);
        var status = scheduler.Describe(spec.Name)!;
        Assert.Equal("Throttled", status.State);
        Assert.Contains("A100", status.Reason, StringComparison.Ordinal);
    }

    /// <summary>One CPU-only node; its workers run until the test makes them exit.</summary>
    private sealed class InMemoryProvider : IWorkerProvider
    {
        private readonly NodeInventory _node = new("n1", null, 4, 8L << 30, []);
        private readonly Dictionary<string, FleetWorker> _running = new(StringComparer.Ordinal);
        private readonly List<FleetExit> _exits = [];

        public List<string> Started { get; } = [];

        public int MostAtOnce { get; private set; }

        public void ExitAll(int code, string line)
        {
            _exits.AddRange(_running.Values.Select(w => new FleetExit(w.WorkerId, w.Endpoint, code, [line], false)));
            _running.Clear();
        }

        public Task<Fleet> ReadAsync(DateTimeOffset now, CancellationToken cancellationToken)
        {
            var fleet = new Fleet([_node], [.. _running.Values], [.. _exits]);
            _exits.Clear();
            return Task.FromResult(fleet);
        }

        public Task StartAsync(WorkerOrder order, CancellationToken cancellationToken)
        {
            Started.Add(order.WorkerId);
            _running[order.WorkerId] = new FleetWorker(order.WorkerId, order.Endpoint.Spec.Name, order.Node, [], null,
                order.At);
            MostAtOnce = Math.Max(MostAtOnce, _running.Count);
            return Task.CompletedTask;
        }

        public Task StopAsync(string workerId, CancellationToken cancellationToken)
        {
            _running.Remove(workerId);
            return Task.CompletedTask;
        }

        public Task<bool> KillAsync(string workerId, string reason, CancellationToken cancellationToken) =>
            Task.FromResult(_running.Remove(workerId));

        public VolumeInfo? Volume(EndpointSpec spec) => null;
    }
}

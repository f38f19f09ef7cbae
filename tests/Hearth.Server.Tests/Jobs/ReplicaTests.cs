using System.Net;
using Hearth.Server.Hosting;
using Hearth.Server.Tests.Fixtures;
using Hearth.Store;
using Hearth.Store.Tests.Fixtures;
using Hearth.Testing;

namespace Hearth.Server.Tests.Jobs;

/// <summary>Two control-plane replicas on one redis-server: wake-ups cross replicas, and each endpoint is swept by one.</summary>
public sealed class ReplicaTests : IDisposable
{
    private readonly RedisServerFixture redis = RedisServerFixture.StartWith("--save", "", "--appendonly", "no", "--maxmemory-policy", "noeviction");

    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task A_submit_on_one_replica_wakes_a_worker_long_polling_the_other_and_runsync_returns_across_them()
    {
        using var storeA = Open();
        using var storeB = Open();
        await using var a = await TestServer.StartAsync(storeA, o => o.Endpoints.Add(new EndpointOptions { Name = "shared" }));
        await using var b = await TestServer.StartAsync(storeB, o => o.Endpoints.Add(new EndpointOptions { Name = "shared" }));
        using var worker = a.Http(TestServer.WorkerToken);

        // The worker long-polls A (virtual time: A's own timeout never fires); the job is submitted to B.
        var take = worker.GetStringAsync("/v2/shared/job-take/w1?");
        var sync = b.Client.PostAsync("/v2/shared/runsync", TestServer.Json("""{"input":{"n":7}}"""));
        var job = TestServer.Parse(await take.WaitAsync(Bound));
        Assert.Equal(7, (int)job["input"]!["n"]!);

        // The result goes to A; the /runsync waiting on B returns it.
        var done = await worker.PostAsync($"/v2/shared/job-done/w1/{job["id"]}", TestServer.Json("""{"output":"ok"}"""));
        Assert.Equal(HttpStatusCode.OK, done.StatusCode);
        var result = await TestServer.ReadAsync(await sync.WaitAsync(Bound));
        Assert.Equal("COMPLETED", (string?)result["status"]);
        Assert.Equal("ok", (string?)result["output"]);
    }

    [Fact]
    public async Task Each_endpoint_is_swept_by_one_replica_and_another_takes_over_when_it_stops()
    {
        var ep = "swept-" + Guid.NewGuid().ToString("N")[..8];
        using var storeA = Open();
        using var storeB = Open();
        var a = await TestServer.StartAsync(storeA, o => { o.Endpoints.Add(new EndpointOptions { Name = ep }); o.ReplicaId = "replica-a"; });
        await using var b = await TestServer.StartAsync(storeB, o => { o.Endpoints.Add(new EndpointOptions { Name = ep }); o.ReplicaId = "replica-b"; });
        using var worker = a.Http(TestServer.WorkerToken);
        var id = await a.RunAsync(ep, """{"input":1}""");
        await worker.GetStringAsync($"/v2/{ep}/job-take/lost?");

        // A sweeps first and so leads the endpoint's sweeper; past the job's lease the job is requeued (by A's timer)
        // while B, not leading, leaves it alone.
        await a.Sweeper.SweepOnceAsync(leadersOnly: true);
        a.Time.Advance(TimeSpan.FromSeconds(31));
        b.Time.Advance(TimeSpan.FromSeconds(31));
        await a.Sweeper.SweepOnceAsync(leadersOnly: true);
        Assert.Equal("IN_QUEUE", (string?)(await b.StatusAsync(ep, id))["status"]);
        Assert.Equal(1, (int)(await storeA.Store.GetAsync(ep, id))!.WorkerLost);
        Assert.Equal(0, await storeB.Store.TryLeadAsync("sweeper:" + ep, "replica-b", TimeSpan.FromSeconds(5)));

        // A stops renewing; once its lease lapses B takes over the endpoint and sweeps the next lost job.
        await a.DisposeAsync();
        using var workerB = b.Http(TestServer.WorkerToken);
        await workerB.GetStringAsync($"/v2/{ep}/job-take/lost-again?");
        b.Time.Advance(TimeSpan.FromSeconds(31));
        await Eventually.ValueAsync(async () =>
        {
            await b.Sweeper.SweepOnceAsync(leadersOnly: true);
            return (string?)(await b.StatusAsync(ep, id))["status"] == "IN_QUEUE" ? "requeued" : null;
        }, "replica B to take over sweeping once A's leadership lapsed (within one 5 s lease)", seconds: 15);
    }

    public void Dispose() => redis.Dispose();

    private StoreHost Open() => StoreHost.Open(new StoreOptions { Store = redis.Url, Durability = StoreDurability.Memory });
}

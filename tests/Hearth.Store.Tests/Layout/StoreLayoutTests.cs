using Hearth.Core.Jobs;
using Hearth.Store.Jobs;
using Hearth.Store.Tests.Fixtures;
using StackExchange.Redis;

namespace Hearth.Store.Tests.Layout;

/// <summary>
/// A store written by the Hearth before one hash per job (layout 1: one per-endpoint hash per job field) is moved to
/// layout 2 when opened: every job keeps its status, payload, output, attempt and lease, and the moved store works.
/// The layout-1 records are written here by hand, field by field, as that version's scripts wrote them.
/// </summary>
public abstract class StoreLayoutTests
{
    private const long T0 = 1_700_000_000_000;
    private const int Queued = 1_200;

    protected abstract StoreHost Host { get; }

    [Fact]
    public async Task A_layout_1_store_is_moved_whole_and_works_after()
    {
        var ep = "ep-" + Guid.NewGuid().ToString("N")[..12];
        var db = Host.Connection.GetDatabase();
        await WriteLayoutOneAsync(db, ep);
        await db.KeyDeleteAsync(StoreLayout.VersionKey);

        var (jobs, endpoints) = StoreLayout.Upgrade(Host.Connection);

        Assert.Equal(Queued + 2, jobs);
        Assert.Equal([ep], endpoints);
        var layoutOne = EndpointKeys.JobFields.Where(f => f is not ("ttl" or "kept")).Concat(["q", "ttlz", "keep"]);
        foreach (var name in layoutOne)
        {
            Assert.False(await db.KeyExistsAsync(EndpointKeys.Key(ep, name)), $"layout-1 key '{name}' left behind");
        }

        Assert.Equal((0, []), StoreLayout.Upgrade(Host.Connection));
        await AssertMovedAsync(Host.Store, ep);
    }

    [Fact]
    public async Task A_store_of_a_newer_layout_is_refused_with_the_fix()
    {
        var db = Host.Connection.GetDatabase();
        await db.StringSetAsync(StoreLayout.VersionKey, "3");
        try
        {
            var e = Assert.Throws<StoreConfigurationException>(() => StoreLayout.Upgrade(Host.Connection));
            Assert.Contains("layout 3, written by a newer Hearth", e.Message);
        }
        finally
        {
            await db.StringSetAsync(StoreLayout.VersionKey, "2");
        }
    }

    /// <summary>Queued jobs j0…j1199, a completed job with an output and a job in progress under worker w0.</summary>
    internal static async Task WriteLayoutOneAsync(IDatabase db, string ep)
    {
        RedisKey K(string name) => EndpointKeys.Key(ep, name);
        for (var start = 0; start < Queued; start += 200)
        {
            var writes = new List<Task>();
            for (var i = start; i < start + 200; i++)
            {
                var id = $"j{i}";
                writes.Add(db.HashSetAsync(K("st"), id, JobStatus.InQueue));
                writes.Add(db.HashSetAsync(K("sub"), id, T0 + i));
                writes.Add(db.HashSetAsync(K("exe"), id, 600_000));
                writes.Add(db.HashSetAsync(K("ret"), id, 1_800_000));
                writes.Add(db.HashSetAsync(K("att"), id, 0));
                writes.Add(db.HashSetAsync(K("sess"), id, "job:" + id));
                writes.Add(db.StringSetAsync($"hearth:{{{ep}}}:req:{id}", Payload(id)));
                writes.Add(db.SortedSetAddAsync(K("ttlz"), id, T0 + 86_400_000));
                writes.Add(db.ListRightPushAsync(K("q"), id));
            }

            await Task.WhenAll(writes);
        }

        await db.HashSetAsync(K("stats"), [new("Q", Queued), new("QL", 0), new(JobStatus.Completed, 1)]);
        foreach (var (name, value) in new[]
        {
            ("st", JobStatus.Completed), ("sub", "1700000000000"), ("exe", "600000"), ("ret", "1800000"), ("att", "1"),
            ("sess", "job:done"), ("wid", "w9"), ("start", "1700000000100"), ("delay", "100"), ("exec", "250"),
        })
        {
            await db.HashSetAsync(K(name), "done", value);
        }

        await db.StringSetAsync($"hearth:{{{ep}}}:out:done", "{\"answer\":42}");
        await db.SortedSetAddAsync(K("keep"), "done", T0 + 1_800_000);
        foreach (var (name, value) in new[]
        {
            ("st", JobStatus.InProgress), ("sub", "1700000000000"), ("exe", "600000"), ("ret", "1800000"), ("att", "2"),
            ("sess", "job:run"), ("wid", "w0"), ("start", "1700000000500"), ("delay", "500"), ("lost", "1"),
        })
        {
            await db.HashSetAsync(K(name), "run", value);
        }

        await db.HashSetAsync(K("hold"), "run", "w0");
        await db.StringSetAsync($"hearth:{{{ep}}}:req:run", Payload("run"));
        await db.SortedSetAddAsync(K("leases"), "run", T0 + 30_000);
        await db.SortedSetAddAsync(K("dead"), "run", T0 + 600_000);
    }

    internal static async Task AssertMovedAsync(IHearthStore store, string ep)
    {
        var done = (await store.GetAsync(ep, "done"))!;
        Assert.Equal(JobStatus.Completed, done.Status);
        Assert.Equal("{\"answer\":42}", done.OutputJson);
        Assert.Equal((250L, 100L, "w9"), (done.ExecutionTimeMs!.Value, done.DelayTimeMs!.Value, done.WorkerId));

        // The job in progress keeps its lease and its fencing token: only w0, at attempt 2, may finish it.
        var run = (await store.GetAsync(ep, "run"))!;
        Assert.Equal((JobStatus.InProgress, 2, 1), (run.Status, run.Attempt, run.WorkerLost));
        var stale = await store.CompleteAsync(ep, new JobCompletion("run", "w0", 1, T0 + 1_000, false, "1", null));
        Assert.Equal(HolderCheck.NotHolder, stale.Check);
        var ok = await store.CompleteAsync(ep, new JobCompletion("run", "w0", 2, T0 + 1_000, false, "\"ok\"", null));
        Assert.Equal(HolderCheck.Accepted, ok.Check);

        // Every queued job comes out once, in order, with its payload intact.
        var taken = new List<TakenJob>();
        while (true)
        {
            var batch = await store.TakeAsync(ep, "w1", 100, T0 + 2_000, 30_000);
            if (batch.Count == 0)
            {
                break;
            }

            taken.AddRange(batch);
        }

        Assert.Equal(Enumerable.Range(0, Queued).Select(i => $"j{i}"), taken.Select(t => t.Id));
        Assert.All(taken, t => Assert.Equal((Payload(t.Id), 1), (t.PayloadJson, t.Attempt)));
        Assert.Equal(JobStatus.InProgress, (await store.GetAsync(ep, "j7"))!.Status);

        // The deadlines moved too: past the queued jobs' TTL and the finished jobs' retention, every job is gone.
        var limits = new SweepLimits(MaxWorkerLost: 2, Batch: 1_000);
        Assert.Empty((await store.SweepAsync(ep, T0 + 1_000_000, limits)).Deleted);
        var deleted = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            deleted.AddRange((await store.SweepAsync(ep, T0 + 86_400_001, limits)).Deleted);
        }

        Assert.Equal(Queued + 2, deleted.Distinct().Count());
        foreach (var id in new[] { "j0", "j1199", "done", "run" })
        {
            Assert.Null(await store.GetAsync(ep, id));
        }
    }

    private static string Payload(string id) => "{\"id\":\"" + id + "\",\"input\":{\"n\":" + id.Length + "}}";
}

public sealed class GarnetStoreLayoutTests(GarnetFixture garnet) : StoreLayoutTests, IClassFixture<GarnetFixture>
{
    protected override StoreHost Host => garnet.Host;
}

[Collection(RedisCollection.Name)]
public sealed class RedisStoreLayoutTests : StoreLayoutTests, IDisposable
{
    private readonly StoreHost _host;

    public RedisStoreLayoutTests(RedisServerFixture redis) =>
        _host = StoreHost.Open(new StoreOptions { Store = redis.Url, Durability = StoreDurability.Memory });

    protected override StoreHost Host => _host;

    public void Dispose() => _host.Dispose();
}

/// <summary>The embedded store moves a layout-1 data directory when Hearth starts on it, and says so.</summary>
public sealed class EmbeddedLayoutUpgradeTests : IDisposable
{
    private readonly string _directory =
        Path.Combine(Path.GetTempPath(), "hearth-layout-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task Opening_a_layout_1_data_directory_moves_it_and_notes_it()
    {
        var options = new StoreOptions { DataDirectory = _directory, EmbeddedMemory = "64m", EmbeddedIndex = "8m" };
        using (var first = StoreHost.Open(options))
        {
            Assert.Empty(first.Warnings);
            var db = first.Connection.GetDatabase();
            Assert.Equal("2", (string?)await db.StringGetAsync(StoreLayout.VersionKey));
            await StoreLayoutTests.WriteLayoutOneAsync(db, "old");
            await db.KeyDeleteAsync(StoreLayout.VersionKey);
        }

        using var second = StoreHost.Open(options);
        Assert.Equal(["moved 1202 jobs of old to store layout 2 (one hash per job)"], second.Warnings);
        await StoreLayoutTests.AssertMovedAsync(second.Store, "old");
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort.
        }
    }
}

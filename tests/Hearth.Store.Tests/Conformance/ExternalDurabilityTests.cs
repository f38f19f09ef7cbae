using Hearth.Core.Jobs;
using Hearth.Store.Jobs;
using Hearth.Store.Tests.Fixtures;

namespace Hearth.Store.Tests.Conformance;

/// <summary>
/// Durability modes on an external redis-server: start-up refuses settings that cannot keep the promise (with the fix),
/// and in fsync-always mode a kill -9 of the server loses no acknowledged job (scenario R8).
/// </summary>
public sealed class ExternalDurabilityTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "hearth-aof-" + Guid.NewGuid().ToString("N"));

    public ExternalDurabilityTests() => Directory.CreateDirectory(_dir);

    [Fact]
    public void Fsync_always_is_refused_on_a_server_without_an_append_only_file()
    {
        using var redis = Server("--appendonly", "no");
        var e = Assert.Throws<StoreConfigurationException>(() => Open(redis, StoreDurability.FsyncAlways));
        Assert.Contains("appendonly no", e.Message);
        Assert.Contains("CONFIG SET appendfsync always", e.Message);
        Assert.Contains("--durability memory", e.Message);
        Assert.Contains("appendonly no", Assert.Throws<StoreConfigurationException>(() => Open(redis, StoreDurability.FsyncEverySecond)).Message);

        using var memory = Open(redis, StoreDurability.Memory);
        Assert.Contains("loses every job", Assert.Single(memory.Warnings));
    }

    [Fact]
    public void Fsync_always_on_everysec_needs_waitaof_and_everysec_mode_accepts_it()
    {
        using var redis = Server("--appendonly", "yes", "--appendfsync", "everysec");
        try
        {
            // Redis 7.2+ has WAITAOF: every acknowledged write waits for the local fsync.
            using var host = Open(redis, StoreDurability.FsyncAlways);
            Assert.Contains("WAITAOF 1 0", Assert.Single(host.Warnings));
        }
        catch (StoreConfigurationException e)
        {
            // Older servers (Debian 12 ships 7.0) cannot: refused, naming both fixes.
            Assert.Contains("no WAITAOF (7.2+)", e.Message);
            Assert.Contains("--durability fsync-everysec", e.Message);
        }

        using var everysec = Open(redis, StoreDurability.FsyncEverySecond);
        Assert.Empty(everysec.Warnings);
        Assert.Contains("fsync-everysec; appendonly yes, appendfsync everysec", everysec.Description);
    }

    [Fact]
    public void Appendfsync_no_is_a_warning_in_everysec_mode()
    {
        using var redis = Server("--appendonly", "yes", "--appendfsync", "no");
        using var host = Open(redis, StoreDurability.FsyncEverySecond);
        Assert.Contains("about 30 s", Assert.Single(host.Warnings));
    }

    [Fact]
    public async Task No_acknowledged_job_is_lost_when_the_server_is_killed_in_fsync_always_mode()
    {
        using var redis = Server("--appendonly", "yes", "--appendfsync", "always");
        var ep = "r8-" + Guid.NewGuid().ToString("N")[..8];
        var acknowledged = new List<string>();
        using (var host = Open(redis, StoreDurability.FsyncAlways))
        {
            Assert.Empty(host.Warnings);
            await Task.WhenAll(Enumerable.Range(0, 400).Select(async i =>
            {
                var id = $"j{i}";
                if (await host.Store.SubmitAsync(ep, new NewJob(id, "{\"id\":\"" + id + "\",\"input\":1}", 1_700_000_000_000, JobLimits.DefaultTtlMs, 600_000, JobLimits.RunRetentionMs, false, null)))
                {
                    lock (acknowledged)
                    {
                        acknowledged.Add(id);
                    }
                }
            }));

            redis.Crash();
        }

        redis.Start();
        using var after = Open(redis, StoreDurability.FsyncAlways);
        Assert.Equal(400, acknowledged.Count);
        foreach (var id in acknowledged)
        {
            Assert.NotNull(await after.Store.GetAsync(ep, id));
        }

        Assert.Equal(400, (await after.Store.CountAsync(ep, 1_700_000_000_001, 30_000)).InQueue);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
            // A server still closing its AOF: the temp directory is cleaned by the OS.
        }
    }

    private RedisServerFixture Server(params string[] persistence) =>
        RedisServerFixture.StartWith(["--save", "", "--dir", _dir, "--maxmemory-policy", "noeviction", .. persistence]);

    private static StoreHost Open(RedisServerFixture redis, StoreDurability durability) =>
        StoreHost.Open(new StoreOptions { Store = redis.Url, Durability = durability });
}

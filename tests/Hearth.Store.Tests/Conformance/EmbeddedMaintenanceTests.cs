using Hearth.Store.Jobs;

namespace Hearth.Store.Tests.Conformance;

/// <summary>The embedded store stays bounded: checkpoints truncate its append-only file, and a spent disk budget refuses new work.</summary>
public sealed class EmbeddedMaintenanceTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "hearth-maint-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task A_checkpoint_truncates_the_append_only_file_and_a_restart_keeps_every_job()
    {
        var options = new StoreOptions { DataDirectory = _dir, EmbeddedMemory = "32m", EmbeddedIndex = "4m", CheckpointLog = "32m" };
        const int jobs = 100; // 100 MiB of payloads: more than one 64 MiB log segment
        using (var first = StoreHost.Open(options))
        {
            for (var i = 0; i < jobs; i++)
            {
                Assert.True(await first.Store.SubmitAsync("cp", Job(i, 1 << 20)));
            }

            var maintenance = first.Maintenance!;
            var before = Directory.EnumerateFiles(Path.Combine(_dir, "AOF"), "aof.log.*").Sum(f => new FileInfo(f).Length);
            Assert.True(await maintenance.RunOnceAsync(CancellationToken.None));
            Assert.NotNull(maintenance.Usage.LastCheckpoint);

            // Garnet frees the segments the checkpoint covers in the background, moments after it; nothing new is
            // written meanwhile, so no run checkpoints again.
            for (var i = 0; i < 100 && maintenance.Usage.LogBytes >= before / 2; i++)
            {
                await Task.Delay(100);
                Assert.False(await maintenance.RunOnceAsync(CancellationToken.None));
            }

            Assert.True(maintenance.Usage.LogBytes < before / 2, $"log {maintenance.Usage.LogBytes} B after the checkpoint, {before} B before");
        }

        using var second = StoreHost.Open(options);
        for (var i = 0; i < jobs; i++)
        {
            var detail = await second.Store.GetDetailAsync("cp", Id(i));
            Assert.Equal(Job(i, 1 << 20).PayloadJson, detail?.PayloadJson);
        }
    }

    [Fact]
    public async Task A_spent_disk_budget_refuses_new_jobs_and_keeps_every_accepted_one()
    {
        using var host = StoreHost.Open(new StoreOptions { DataDirectory = _dir, EmbeddedMemory = "32m", EmbeddedIndex = "4m", MaxDisk = "64m" });
        var accepted = 0;
        StoreRefusedException? refused = null;
        for (var i = 0; i < 400 && refused is null; i++)
        {
            await host.Maintenance!.RunOnceAsync(CancellationToken.None);
            try
            {
                Assert.True(await host.Store.SubmitAsync("disk", Job(i, 512 << 10)));
                accepted++;
            }
            catch (StoreRefusedException e)
            {
                refused = e;
            }
        }

        Assert.NotNull(refused);
        Assert.True(refused.Full);
        Assert.Contains("--store-max-disk", refused.Message, StringComparison.Ordinal);
        Assert.Contains(_dir, refused.Hint, StringComparison.Ordinal);
        Assert.InRange(accepted, 20, 399);
        for (var i = 0; i < accepted; i++)
        {
            var detail = await host.Store.GetDetailAsync("disk", Id(i));
            Assert.Equal("IN_QUEUE", detail?.Summary.Status);
            Assert.Equal(Job(i, 512 << 10).PayloadJson, detail?.PayloadJson);
        }

        // Draining still works while full: results are accepted, so a full store can empty itself.
        var taken = await host.Store.TakeAsync("disk", "w1", 1, 2, 60_000);
        var done = await host.Store.CompleteAsync("disk", new JobCompletion(taken[0].Id, "w1", taken[0].Attempt, 3, false, "{}", null));
        Assert.Equal(HolderCheck.Accepted, done.Check);
    }

    [Fact]
    public async Task A_payload_larger_than_a_value_kept_inline_is_kept_in_pieces_across_a_restart()
    {
        // 32 MiB of memory keeps values up to 4 MiB inline; a 7 MiB payload is kept as three pieces.
        var options = new StoreOptions { DataDirectory = _dir, EmbeddedMemory = "32m", EmbeddedIndex = "4m" };
        var big = Job(0, 7 << 20);
        using (var first = StoreHost.Open(options))
        {
            Assert.True(await first.Store.SubmitAsync("big", big));
            Assert.True(await first.Store.SubmitAsync("big", Job(1, 100)));
            Assert.Equal(big.PayloadJson, (await first.Store.GetDetailAsync("big", Id(0)))?.PayloadJson);
        }

        using var second = StoreHost.Open(options);
        Assert.Equal(big.PayloadJson, (await second.Store.GetDetailAsync("big", Id(0)))?.PayloadJson);
        var taken = await second.Store.TakeAsync("big", "w1", 2, 2, 60_000);
        Assert.Equal(big.PayloadJson, taken[0].PayloadJson);
        Assert.Equal(Job(1, 100).PayloadJson, taken[1].PayloadJson);
    }

    private static string Id(int i) => $"job-{i}";

    private static NewJob Job(int i, int bytes) =>
        new(Id(i), "{\"input\":\"" + new string((char)('a' + (i % 26)), bytes) + "\"}", 1, 86_400_000, 600_000, 1_800_000, false, null);

    public void Dispose()
    {
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
            // Best effort.
        }
    }
}

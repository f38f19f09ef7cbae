using Hearth.Store.Jobs;

namespace Hearth.Store.Tests.Conformance;

/// <summary>
/// The embedded store is a store, not a cache: with a deliberately small memory budget it keeps every acknowledged
/// job whose payloads add up to several times that budget, across a restart, and hands each out exactly once.
/// </summary>
public sealed class LargerThanMemoryTests : IDisposable
{
    private const int Jobs = 200;
    private const int PayloadBytes = 1 << 20; // 200 × 1 MiB = 6× the 32 MiB budget

    private readonly string _dir = Path.Combine(Path.GetTempPath(), "hearth-large-" + Guid.NewGuid().ToString("N"));

    private StoreOptions Options => new() { DataDirectory = _dir, EmbeddedMemory = "32m", EmbeddedIndex = "4m" };

    [Fact]
    public async Task Payloads_several_times_the_memory_budget_are_all_kept_across_a_restart_and_taken_once()
    {
        using (var first = StoreHost.Open(Options))
        {
            for (var i = 0; i < Jobs; i++)
            {
                Assert.True(await first.Store.SubmitAsync("big", new NewJob(Id(i), Payload(i), 1, 86_400_000, 600_000, 1_800_000, false, null)));
            }

            await AssertAllQueuedWithPayloads(first.Store);
        }

        using var second = StoreHost.Open(Options);
        await AssertAllQueuedWithPayloads(second.Store);

        var taken = new List<TakenJob>();
        while (await second.Store.TakeAsync("big", "w1", 16, 2, 600_000) is { Count: > 0 } batch)
        {
            taken.AddRange(batch);
        }

        Assert.Equal(Jobs, taken.Count);
        Assert.Equal(Jobs, taken.Select(t => t.Id).Distinct().Count());
        foreach (var job in taken)
        {
            Assert.Equal(Payload(int.Parse(job.Id[4..], System.Globalization.CultureInfo.InvariantCulture)), job.PayloadJson);
            var done = await second.Store.CompleteAsync("big", new JobCompletion(job.Id, "w1", job.Attempt, 3, false, "{\"ok\":true}", null));
            Assert.Equal(HolderCheck.Accepted, done.Check);
        }

        Assert.Equal(Jobs, (await second.Store.CountAsync("big", 4, 30_000)).Completed);
    }

    private static async Task AssertAllQueuedWithPayloads(IHearthStore store)
    {
        for (var i = 0; i < Jobs; i++)
        {
            var detail = await store.GetDetailAsync("big", Id(i));
            Assert.NotNull(detail);
            Assert.Equal("IN_QUEUE", detail.Summary.Status);
            Assert.Equal(Payload(i), detail.PayloadJson);
        }

        Assert.Equal(Jobs, (await store.CountAsync("big", 2, 30_000)).InQueue);
    }

    private static string Id(int i) => $"job-{i}";

    private static string Payload(int i) => "{\"input\":\"" + new string((char)('a' + (i % 26)), PayloadBytes) + "\"}";

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

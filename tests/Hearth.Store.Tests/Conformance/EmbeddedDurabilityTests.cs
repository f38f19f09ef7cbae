using Hearth.Store.Jobs;

namespace Hearth.Store.Tests.Conformance;

public sealed class EmbeddedDurabilityTests
{
    [Fact]
    public async Task Every_acknowledged_job_survives_a_restart_on_the_same_directory()
    {
        var dir = Path.Combine(Path.GetTempPath(), "hearth-restart-" + Guid.NewGuid().ToString("N"));
        var options = new StoreOptions { DataDirectory = dir, EmbeddedMemory = "64m", EmbeddedIndex = "8m" };
        var acknowledged = new List<string>();
        try
        {
            using (var first = StoreHost.Open(options))
            {
                for (var i = 0; i < 300; i++)
                {
                    var id = $"job-{i}";
                    Assert.True(await first.Store.SubmitAsync("durable", new NewJob(id, "{}", 1, 86_400_000, 600_000, 1_800_000, i % 3 == 0, null)));
                    acknowledged.Add(id);
                }

                await first.Store.TakeAsync("durable", "w1", 1, 2, 30_000);
            }

            using var second = StoreHost.Open(options);
            foreach (var id in acknowledged)
            {
                Assert.NotNull(await second.Store.GetAsync("durable", id));
            }

            var counters = await second.Store.CountAsync("durable", 3, 30_000);
            Assert.Equal(299, counters.InQueue);
            Assert.Equal(1, counters.InProgress);
        }
        finally
        {
            try
            {
                Directory.Delete(dir, recursive: true);
            }
            catch (IOException)
            {
                // Best effort.
            }
        }
    }
}

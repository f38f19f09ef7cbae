using System.Collections.Concurrent;
using Hearth.Client;
using Hearth.Testing;

namespace Hearth.App.Tests.Hosting;

/// <summary>
/// <c>kill -9</c> of <c>hearth dev</c> while its embedded store is checkpointing: every job a client was told was
/// accepted is still there after a restart on the same data directory.
/// </summary>
public sealed class CheckpointCrashTests
{
    [Fact]
    public async Task Kill_9_during_a_checkpoint_loses_no_acknowledged_job()
    {
        var data = Path.Combine(Path.GetTempPath(), "hearth-checkpoint-crash-" + Guid.NewGuid().ToString("N"));
        var echo = AppProcess.Built("samples/Echo", "Echo.dll");

        // A checkpoint every 1 MiB of log, so under a burst of 64 KiB inputs one is under way every few seconds.
        var environment = new Dictionary<string, string> { ["HEARTH_STORE_CHECKPOINT_LOG"] = "1m" };
        var acknowledged = new ConcurrentBag<string>();
        var padding = new string('p', 64 << 10);
        try
        {
            var app = AppProcess.Start(echo, environment, "dev", "--port", "0", "--data", data, "--api-key", "test-key", "--quiet");
            try
            {
                var address = (await app.WaitForAsync(@"listening on (http://\S+)")).Groups[1].Value;
                await app.WaitForAsync("^Ready in");
                using var client = new HearthClient(new Uri(address + "/v2"), "test-key");
                var endpoint = client.Endpoint("echo-cold"); // at most one worker: the queue stays deep
                using var stop = new CancellationTokenSource();
                var submitters = Enumerable.Range(0, 8).Select(s => Task.Run(async () =>
                {
                    for (var i = 0; !stop.IsCancellationRequested; i++)
                    {
                        try
                        {
                            var handle = await endpoint.RunAsync(new EchoInput($"{s}-{i}-{padding}", Sleep_ms: 50), cancellationToken: stop.Token);
                            acknowledged.Add(handle.Id);
                        }
                        catch (Exception e) when (e is HttpRequestException or OperationCanceledException or HearthApiException)
                        {
                            return; // in flight when the app died: the client was told nothing
                        }
                    }
                })).ToArray();

                // Wait for a checkpoint that starts after some jobs were accepted, and kill the app the moment it does.
                await app.WaitForAsync("Store checkpoint started", 90);
                app.Dispose(); // SIGKILL to the app, its embedded store and its workers

                // As far as the app reported before it died, the last checkpoint it started had not finished.
                await app.OutputEndedAsync(); // every line it printed before it died has arrived
                var started = app.Lines.Count(l => l.Contains("Store checkpoint started", StringComparison.Ordinal));
                var finished = app.Lines.Count(l => l.Contains("Store checkpointed", StringComparison.Ordinal));
                Assert.True(started > finished, $"{started} checkpoints started and {finished} finished before the kill");
                await stop.CancelAsync();
                await Task.WhenAll(submitters)
                    .Within(TimeSpan.FromSeconds(30), "the submitters to stop after the kill");
            }
            finally
            {
                app.Dispose();
            }

            Assert.NotEmpty(acknowledged);
            using var again = AppProcess.Start(echo, "dev", "--port", "0", "--data", data, "--api-key", "test-key", "--quiet");
            var restarted = (await again.WaitForAsync(@"listening on (http://\S+)")).Groups[1].Value;
            using var after = new HearthClient(new Uri(restarted + "/v2"), "test-key");
            var lost = new List<string>();
            foreach (var id in acknowledged)
            {
                try
                {
                    await after.Endpoint("echo-cold").StatusAsync<EchoInput>(id);
                }
                catch (HearthApiException e) when ((int)e.StatusCode == 404)
                {
                    lost.Add(id);
                }
            }

            Assert.True(lost.Count == 0, $"{lost.Count} of {acknowledged.Count} acknowledged jobs were lost: {string.Join(", ", lost.Take(5))}");
        }
        finally
        {
            try
            {
                Directory.Delete(data, recursive: true);
            }
            catch (IOException)
            {
                // Best effort.
            }
        }
    }
}

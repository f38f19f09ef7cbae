using System.Collections.Concurrent;
using Hearth.Client;
using Hearth.Testing;

namespace Hearth.App.Tests.Hosting;

/// <summary>
/// The embedded store's promise under <c>kill -9</c> of the whole app (scenario R8 on the default store): every job a
/// client was told was accepted survives, and every result a client saw stays as it saw it.
/// </summary>
public sealed class EmbeddedCrashTests
{
    [Fact]
    public async Task Kill_9_of_dev_mid_burst_loses_no_acknowledged_job_and_no_result_a_client_saw()
    {
        var data = Path.Combine(Path.GetTempPath(), "hearth-crash-test-" + Guid.NewGuid().ToString("N"));
        var echo = AppProcess.Built("samples/Echo", "Echo.dll");
        var acknowledged = new ConcurrentBag<string>();
        var seen = new ConcurrentDictionary<string, string>();
        try
        {
            var app = AppProcess.Start(echo, "dev", "--port", "0", "--data", data, "--api-key", "test-key", "--quiet");
            try
            {
                var address = (await app.WaitForAsync(@"listening on (http://\S+)")).Groups[1].Value;
                await app.WaitForAsync("^Ready in");
                using var client = new HearthClient(new Uri(address + "/v2"), "test-key");
                var endpoint = client.Endpoint("echo");
                using var stop = new CancellationTokenSource();
                var enough = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                var submitters = Enumerable.Range(0, 16).Select(s => Task.Run(async () =>
                {
                    for (var i = 0; !stop.IsCancellationRequested; i++)
                    {
                        try
                        {
                            if (i % 4 == 3)
                            {
                                // Every fourth job waits for its result, so the queue stays as deep as the workers'
                                // pace allows; that result is one a client saw.
                                var result = await endpoint.RunSyncAsync<EchoInput, EchoInput>(new EchoInput($"{s}-{i}"), cancellationToken: stop.Token);
                                acknowledged.Add(result.Id);
                                if (result.IsCompleted)
                                {
                                    seen[result.Id] = result.Output!.Hello;
                                }
                            }
                            else
                            {
                                var handle = await endpoint.RunAsync(new EchoInput($"{s}-{i}"), cancellationToken: stop.Token);
                                acknowledged.Add(handle.Id);
                            }

                            if (acknowledged.Count >= 400 && seen.Count >= 20)
                            {
                                enough.TrySetResult();
                            }
                        }
                        catch (Exception e) when (e is HttpRequestException or OperationCanceledException or HearthApiException)
                        {
                            // In flight when the app died: the client was told nothing.
                            return;
                        }
                    }
                })).ToArray();

                var burst = await Task.WhenAny(enough.Task, Task.WhenAll(submitters)).WaitAsync(TimeSpan.FromSeconds(60));
                Assert.True(burst == enough.Task, $"the submitters stopped after {acknowledged.Count} jobs, {seen.Count} of them seen COMPLETED");

                app.Dispose(); // SIGKILL to the app and its workers, mid-burst
                await stop.CancelAsync();
                await Task.WhenAll(submitters)
                    .Within(TimeSpan.FromSeconds(30), "the submitters to stop after the kill");
            }
            finally
            {
                app.Dispose();
            }

            using var again = AppProcess.Start(echo, "dev", "--port", "0", "--data", data, "--api-key", "test-key", "--quiet");
            var restarted = (await again.WaitForAsync(@"listening on (http://\S+)")).Groups[1].Value;
            await again.WaitForAsync("^Ready in");
            using var after = new HearthClient(new Uri(restarted + "/v2"), "test-key");
            var lost = new List<string>();
            foreach (var id in acknowledged)
            {
                try
                {
                    await after.Endpoint("echo").StatusAsync<EchoInput>(id);
                }
                catch (HearthApiException e) when ((int)e.StatusCode == 404)
                {
                    lost.Add(id);
                }
            }

            Assert.True(lost.Count == 0, $"{lost.Count} of {acknowledged.Count} acknowledged jobs were lost: {string.Join(", ", lost.Take(5))}");
            foreach (var (id, hello) in seen)
            {
                var status = await after.Endpoint("echo").StatusAsync<EchoInput>(id);
                Assert.True(status.IsCompleted, $"{id} was seen COMPLETED before the crash and is {status.Status} after it");
                Assert.Equal(hello, status.Output!.Hello);
            }
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

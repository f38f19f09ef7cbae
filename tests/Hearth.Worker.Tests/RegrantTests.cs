using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Hearth.Server.Tests.Fixtures;
using Microsoft.Extensions.Time.Testing;

namespace Hearth.Worker.Tests;

/// <summary>
/// A worker that lost a job's lease (paused, cut off) and is granted the job again runs the new attempt: the old run
/// is stopped, and a stop order for the old attempt, read after the new grant, does not stop the new one. Found by the
/// chaos soak (docs/soak.md).
/// </summary>
public sealed class RegrantTests(GarnetStoreFixture store) : IClassFixture<GarnetStoreFixture>
{
    [Fact]
    public async Task A_newer_grant_replaces_the_old_run_and_a_stale_stop_order_leaves_it_running()
    {
        await using var h = await WorkerHarness.StartAsync(store);
        var started = new ConcurrentDictionary<int, CancellationToken>();
        var release = new TaskCompletionSource();
        var options = h.Options();
        options.Concurrency = 2;
        var wire = new StopWire();
        await h.RunAsync(JobHandler.Create<Greeting, Reply>(async (_, ctx, ct) =>
        {
            started[ctx.Attempt] = ct;
            await release.Task.WaitAsync(ct);
            return new Reply($"attempt {ctx.Attempt}");
        }), options, new FakeTimeProvider(DateTimeOffset.UnixEpoch), wire);
        var id = await h.Server.RunAsync(h.Endpoint, """{"input":{"name":"regrant"}}""");
        await Until(() => started.ContainsKey(1), "attempt 1 to start");

        // The lease runs out on the control plane's clock; the worker's free slot takes the job again as attempt 2.
        h.Server.Time.Advance(TimeSpan.FromSeconds(31));
        await h.Server.Sweeper.SweepOnceAsync();
        await Until(() => started.ContainsKey(2), "attempt 2 to start on the same worker");
        Assert.True(started[1].IsCancellationRequested, "the old run was not stopped");

        // A stop order for attempt 1, read only now (it was popped before the new grant).
        wire.Inject(id, attempt: 1);
        await Until(() => wire.Delivered, "the stale stop order to be delivered");
        await Until(() => wire.PollsAfter > 0, "the worker to poll again, having handled the order");
        Assert.False(started[2].IsCancellationRequested, "a stop order for attempt 1 stopped attempt 2");

        release.SetResult();
        var done = await h.Server.WaitForAsync(h.Endpoint, id, s => (string?)s["status"] == "COMPLETED");
        Assert.Equal("attempt 2", (string?)done["output"]!["text"]);
    }

    private static async Task Until(Func<bool> condition, string what)
    {
        for (var i = 0; i < 400 && !condition(); i++)
        {
            await Task.Delay(50);
        }

        Assert.True(condition(), $"waited 20 s for {what}");
    }

    /// <summary>Holds the worker's stop-order polls until a stop order is injected, answers that one, and holds the
    /// rest again.</summary>
    private sealed class StopWire() : DelegatingHandler(new SocketsHttpHandler())
    {
        private readonly TaskCompletionSource<string> _order = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _polls;
        private int _delivered;
        private int _pollsAfter;

        public bool Delivered => Volatile.Read(ref _delivered) == 1;

        public int PollsAfter => Volatile.Read(ref _pollsAfter);

        public void Inject(string jobId, int attempt) =>
            _order.SetResult($$$"""{"jobsToStop":["{{{jobId}}}"],"attempts":{"{{{jobId}}}":{{{attempt}}}}}""");

        protected override async Task<HttpResponseMessage> SendAsync(
            HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (!request.RequestUri!.AbsolutePath.Contains("/job-stop/", StringComparison.Ordinal))
            {
                return await base.SendAsync(request, cancellationToken);
            }

            if (Interlocked.Increment(ref _polls) > 1)
            {
                if (Delivered)
                {
                    Interlocked.Increment(ref _pollsAfter);
                }

                await Task.Delay(Timeout.Infinite, cancellationToken);
            }

            var body = await _order.Task.WaitAsync(cancellationToken);
            Volatile.Write(ref _delivered, 1);
            return new HttpResponseMessage(HttpStatusCode.OK)
            {
                RequestMessage = request,
                Content = new StringContent(body, Encoding.UTF8, "application/json"),
            };
        }
    }
}

using System.Collections.Concurrent;
using System.Net;
using Hearth.Server.Tests.Fixtures;
using Hearth.Testing;

namespace Hearth.Worker.Tests;

/// <summary>
/// A worker never floods its control plane: refused credentials and outages are retried with growing delays, and a
/// result that finishes during an outage is delivered when the control plane is back, without the job running again.
/// All on virtual time, moved from one timer to the next.
/// </summary>
public sealed class ControlPlaneBackoffTests(GarnetStoreFixture store) : IClassFixture<GarnetStoreFixture>
{
    [Fact]
    public async Task A_worker_with_a_wrong_token_sends_at_most_one_request_a_second_after_a_few_seconds()
    {
        await using var h = await WorkerHarness.StartAsync(store);
        var time = new SteppingTimeProvider();
        var wire = new Wire(time);
        var options = h.Options();
        options.ApiKey = "not-a-worker-token";
        options.PingUrl = null;
        await h.RunAsync(JobHandler.Create<Greeting, Reply>((g, _, _) => Task.FromResult(new Reply(g.Name))),
            options, time, wire);

        var start = time.GetUtcNow();
        while (time.GetUtcNow() - start < TimeSpan.FromMinutes(2))
        {
            // Both loops (take, stop orders) wait on their backoff: move to the earliest.
            await Eventually.TrueAsync(() => time.Armed == 2 && wire.InFlight == 0, "both loops to back off");
            Assert.True(time.AdvanceToNext());
        }

        Assert.All(wire.Requests, r => Assert.Equal(HttpStatusCode.Unauthorized, r.Status));
        var late = wire.Requests.Count(r => r.At - start >= TimeSpan.FromSeconds(10));
        var span = (time.GetUtcNow() - start - TimeSpan.FromSeconds(10)).TotalSeconds;
        Assert.True(late <= span, $"{late} requests in the {span:0} s after the first 10 s");
        Assert.True(wire.Requests.Count < 40, $"{wire.Requests.Count} requests in 2 minutes");
    }

    [Fact]
    public async Task A_result_finished_during_a_ten_second_outage_is_accepted_afterwards_and_the_job_runs_once()
    {
        await using var h = await WorkerHarness.StartAsync(store);
        var time = new SteppingTimeProvider();
        var wire = new Wire(time);
        var runs = 0;
        var release = new TaskCompletionSource();
        var options = h.Options();
        options.PingUrl = null;
        await h.RunAsync(JobHandler.Create<Greeting, Reply>(async (g, _, _) =>
        {
            Interlocked.Increment(ref runs);
            await release.Task;
            return new Reply("done " + g.Name);
        }), options, time, wire);
        var id = await h.Server.RunAsync(h.Endpoint, """{"input":{"name":"outage"}}""");
        await h.WaitForRunningAsync(1);

        // The control plane goes away; the handler finishes 1 s into the outage.
        wire.Down = true;
        var start = time.GetUtcNow();
        time.Fake.Advance(TimeSpan.FromSeconds(1));
        release.SetResult();
        await Eventually.TrueAsync(() => wire.Requests.Any(r => r.Path.Contains("/job-done", StringComparison.Ordinal)),
            "the result's first post");
        while (time.GetUtcNow() - start < TimeSpan.FromSeconds(10))
        {
            await Eventually.TrueAsync(() => time.Armed >= 1 && wire.InFlight == 0, "the result post to back off");
            time.AdvanceToNext();
        }

        wire.Down = false;
        var done = await Eventually.ValueAsync(async () =>
        {
            var status = await h.Server.StatusAsync(h.Endpoint, id);
            if ((string?)status["status"] == "COMPLETED")
            {
                return status;
            }

            if (wire.InFlight == 0)
            {
                time.AdvanceToNext();
            }

            return null;
        }, "the result to be accepted once the control plane is back");
        Assert.Equal("done outage", (string?)done["output"]!["text"]);
        Assert.Equal(1, Volatile.Read(ref runs));
        var posts = wire.Requests.Count(r => r.Path.Contains("/job-done", StringComparison.Ordinal));
        Assert.InRange(posts, 3, 30);
    }

    /// <summary>
    /// Records each request with its virtual time; while <see cref="Down"/>, nothing reaches the server. Stop-order
    /// long polls run on the server's clock, so they are left out of <see cref="InFlight"/>.
    /// </summary>
    private sealed class Wire(TimeProvider time) : DelegatingHandler(new SocketsHttpHandler())
    {
        private int _inFlight;

        public bool Down { get; set; }

        public int InFlight => Volatile.Read(ref _inFlight);

        public ConcurrentQueue<(DateTimeOffset At, string Path, HttpStatusCode? Status)> Requests { get; } = new();

        protected override async Task<HttpResponseMessage> SendAsync(
            HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var at = time.GetUtcNow();
            var path = request.RequestUri!.AbsolutePath;
            var counted = !path.Contains("/job-stop/", StringComparison.Ordinal);
            if (counted)
            {
                Interlocked.Increment(ref _inFlight);
            }

            try
            {
                if (Down)
                {
                    Requests.Enqueue((at, path, null));
                    throw new HttpRequestException("Connection refused (the control plane is down)");
                }

                var response = await base.SendAsync(request, cancellationToken);
                Requests.Enqueue((at, path, response.StatusCode));
                return response;
            }
            finally
            {
                if (counted)
                {
                    Interlocked.Decrement(ref _inFlight);
                }
            }
        }
    }
}

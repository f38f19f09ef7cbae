using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Hearth.Server.Hosting;
using Hearth.Server.Tests.Fixtures;
using Hearth.Server.Tests.Webhooks;
using Hearth.Testing;

namespace Hearth.Server.Tests.Jobs;

/// <summary>
/// Every path by which a job ends runs the final-state hook once (<c>JobService.Finished</c>): its waiters are
/// released, the worker still running it is told to stop, its webhook is delivered once and its final status is
/// counted once in <c>hearth.jobs.finished</c>. Real HTTP and a real store; the clock is virtual and held still while
/// a waiter is parked, so only the hook's wake-up can answer it.
/// </summary>
public sealed class FinalStateTests(GarnetStoreFixture store) : IClassFixture<GarnetStoreFixture>
{
    /// <summary>How often a parked <c>/runsync</c> or <c>/status-sync</c> re-reads: its timer shows it.</summary>
    private static readonly TimeSpan Recheck = TimeSpan.FromSeconds(1);

    /// <summary>How long job-stop is held (the default): its timer shows the long-poll parked.</summary>
    private static readonly TimeSpan LongPoll = new HearthServerOptions().LongPoll;

    /// <summary>Bound on a wake-up that should be immediate; shorter than the HTTP client's own time-out.</summary>
    private static readonly TimeSpan Prompt = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task A_result_releases_runsync_and_is_delivered_and_counted_once()
    {
        await using var h = await StartAsync();
        var runsync = h.Server.Client.PostAsync($"/v2/{h.Ep}/runsync?wait=60000", TestServer.Json(h.Body("7")));
        await h.Timers.WaitForTimerAsync(Recheck);

        var taken = TestServer.Parse(await h.Worker.GetStringAsync($"/v2/{h.Ep}/job-take/w1"));
        var id = (string)taken["id"]!;
        var done = await h.Worker.PostAsync($"/v2/{h.Ep}/job-done/w1/{id}", TestServer.Json("""{"output":49}"""));
        done.EnsureSuccessStatusCode();

        var answer = await AssertEndedOnceAsync(h, id, runsync, "COMPLETED");
        Assert.Equal(49, (int)answer["output"]!);
    }

    [Fact]
    public async Task A_batch_of_results_releases_each_waiter_and_each_is_delivered_and_counted_once()
    {
        await using var h = await StartAsync();
        var good = await h.Server.RunAsync(h.Ep, h.Body("1"));
        var bad = await h.Server.RunAsync(h.Ep, h.Body("2"));
        var taken = await h.Worker.GetStringAsync($"/v2/{h.Ep}/job-take-batch/w1?batch_size=2");
        Assert.Equal(2, JsonNode.Parse(taken)!.AsArray().Count);
        var goodWaiter = await ParkedWaiterAsync(h, good);
        var badWaiter = await ParkedWaiterAsync(h, bad);

        var results = $$"""[{"id":"{{good}}","output":1},{"id":"{{bad}}","error":"boom"}]""";
        (await h.Worker.PostAsync($"/v2/{h.Ep}/job-done-batch/w1", TestServer.Json(results))).EnsureSuccessStatusCode();

        Assert.Equal("COMPLETED", (string?)(await ReadAsync(goodWaiter, "the waiter of the completed job"))["status"]);
        Assert.Equal("FAILED", (string?)(await ReadAsync(badWaiter, "the waiter of the failed job"))["status"]);
        var delivered = await DeliveredOnceAsync(h, good, bad);
        Assert.Equal("COMPLETED", delivered[good]);
        Assert.Equal("FAILED", delivered[bad]);
        await AssertCountedAsync(h, ("COMPLETED", 1), ("FAILED", 1));
    }

    [Fact]
    public async Task A_cancel_of_a_running_job_releases_its_waiter_and_its_worker_and_is_delivered_and_counted_once()
    {
        await using var h = await StartAsync();
        var id = await RunningAsync(h);
        var waiter = await ParkedWaiterAsync(h, id);
        var stop = await ParkedStopPollAsync(h, "w1");

        var cancel = await h.Server.Client.PostAsync($"/v2/{h.Ep}/cancel/{id}", null);
        Assert.Equal("CANCELLED", (string?)(await TestServer.ReadAsync(cancel))["status"]);

        await AssertEndedOnceAsync(h, id, waiter, "CANCELLED");
        Assert.Equal(id, (string?)(await ReadAsync(stop, "the worker's job-stop long-poll"))["jobsToStop"]![0]);
    }

    [Fact]
    public async Task A_purge_releases_the_waiters_of_the_queued_jobs_and_delivers_and_counts_each_once()
    {
        await using var h = await StartAsync();
        var running = await RunningAsync(h);
        var a = await h.Server.RunAsync(h.Ep, h.Body("1"));
        var b = await h.Server.RunAsync(h.Ep, h.Body("2"));
        var waiterA = await ParkedWaiterAsync(h, a);
        var waiterB = await ParkedWaiterAsync(h, b);

        var purge = await h.Server.Client.PostAsync($"/v2/{h.Ep}/purge-queue", null);
        Assert.Equal(2, (int)(await TestServer.ReadAsync(purge))["removed"]!);

        // Before, a purge woke nobody: these waited on the clock, which the test holds still.
        Assert.Equal("CANCELLED", (string?)(await ReadAsync(waiterA, "the waiter of the first purged job"))["status"]);
        Assert.Equal("CANCELLED", (string?)(await ReadAsync(waiterB, "the waiter of the second purged job"))["status"]);
        var delivered = await DeliveredOnceAsync(h, a, b);
        Assert.Equal(["CANCELLED", "CANCELLED"], new[] { delivered[a], delivered[b] });
        await AssertCountedAsync(h, ("CANCELLED", 2));
        Assert.Equal("IN_PROGRESS", (string?)(await h.Server.StatusAsync(h.Ep, running))["status"]);
    }

    [Fact]
    public async Task An_execution_timeout_releases_the_waiter_and_the_worker_and_is_delivered_and_counted_once()
    {
        await using var h = await StartAsync(e => e.ExecutionTimeoutMs = 5_000);
        var id = await RunningAsync(h);
        var waiter = await ParkedWaiterAsync(h, id);
        var stop = await ParkedStopPollAsync(h, "w1");

        // Past the deadline the waiter re-reads the job once (still running) and parks again; then the sweep ends it.
        h.Server.Time.Advance(TimeSpan.FromMilliseconds(5_001));
        await h.Timers.WaitForTimerAsync(Recheck);
        await h.Server.Sweeper.SweepOnceAsync();

        await AssertEndedOnceAsync(h, id, waiter, "TIMED_OUT");
        Assert.Equal(id, (string?)(await ReadAsync(stop, "the worker's job-stop long-poll"))["jobsToStop"]![0]);
    }

    [Fact]
    public async Task A_worker_lost_past_the_cap_releases_the_waiter_and_the_worker_and_is_delivered_and_counted_once()
    {
        await using var h = await StartAsync(maxWorkerLost: 0);
        var id = await RunningAsync(h);
        var waiter = await ParkedWaiterAsync(h, id);

        // The lease (30 s) runs out with no heartbeat; the waiter re-reads the job once and parks again.
        h.Server.Time.Advance(TimeSpan.FromSeconds(31));
        await h.Timers.WaitForTimerAsync(Recheck);
        var stop = await ParkedStopPollAsync(h, "w1");
        await h.Server.Sweeper.SweepOnceAsync();

        var failed = await AssertEndedOnceAsync(h, id, waiter, "FAILED");
        Assert.Contains("worker lost", (string?)failed["error"], StringComparison.Ordinal);
        Assert.Equal(id, (string?)(await ReadAsync(stop, "the lost worker's job-stop long-poll"))["jobsToStop"]![0]);
    }

    [Fact]
    public async Task A_ttl_expiry_releases_the_waiter_with_404_and_delivers_and_counts_nothing()
    {
        await using var h = await StartAsync();
        var id = await h.Server.RunAsync(h.Ep, $$$"""{"input":1,"webhook":"{{{h.Hook}}}","policy":{"ttl":10000}}""");
        var waiter = await ParkedWaiterAsync(h, id);

        h.Server.Time.Advance(TimeSpan.FromMilliseconds(10_001));
        await h.Timers.WaitForTimerAsync(Recheck);
        await h.Server.Sweeper.SweepOnceAsync();

        var gone = await waiter.Within(Prompt, "the waiter of the expired job");
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);

        // The job and its webhook went together: no delivery, and no final status to count.
        Assert.Empty(await DeliveredOnceAsync(h));
        await AssertCountedAsync(h);
    }

    private async Task<Harness> StartAsync(Action<EndpointOptions>? endpoint = null, int maxWorkerLost = 2)
    {
        var ep = GarnetStoreFixture.UniqueEndpoint("final");
        var options = new EndpointOptions { Name = ep };
        endpoint?.Invoke(options);
        var timers = new SignallingTimeProvider();
        var receiver = await WebhookReceiver.StartAsync(200);
        var server = await TestServer.StartAsync(store.Host, o =>
        {
            o.Endpoints.Add(options);
            o.Endpoints.Add(new EndpointOptions { Name = ep + "-sentinel" });
            o.MaxWorkerLost = maxWorkerLost;

            // Only the test sweeps: the hosted sweeper's first tick is an hour of virtual time away.
            o.SweepInterval = TimeSpan.FromHours(1);
        }, timers);
        var worker = server.Http(null);
        worker.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", TestServer.WorkerToken);
        return new Harness(server, receiver, timers, worker, ep);
    }

    /// <summary>Submits a job with the webhook and has worker w1 take it.</summary>
    private static async Task<string> RunningAsync(Harness h)
    {
        var id = await h.Server.RunAsync(h.Ep, h.Body("1"));
        Assert.Equal(id, (string?)TestServer.Parse(await h.Worker.GetStringAsync($"/v2/{h.Ep}/job-take/w1"))["id"]);
        return id;
    }

    /// <summary>
    /// The end of one job, once: its waiter answered with <paramref name="status"/>, its webhook posted once with it,
    /// and one count of it in <c>hearth_jobs_finished_total</c>. Answers the waiter's body.
    /// </summary>
    private static async Task<JsonObject> AssertEndedOnceAsync(
        Harness h, string id, Task<HttpResponseMessage> waiter, string status)
    {
        var answer = await ReadAsync(waiter, $"the waiter of job {id} to be answered {status}");
        Assert.Equal(status, (string?)answer["status"]);
        Assert.Equal(status, (await DeliveredOnceAsync(h, id))[id]);
        await AssertCountedAsync(h, (status, 1));
        return answer;
    }

    /// <summary>Starts a <c>/status-sync</c> and returns once it is parked on the job (its timer exists).</summary>
    private static async Task<Task<HttpResponseMessage>> ParkedWaiterAsync(Harness h, string id)
    {
        var waiter = h.Server.Client.GetAsync($"/v2/{h.Ep}/status-sync/{id}?wait=60000");
        await h.Timers.WaitForTimerAsync(Recheck);
        return waiter;
    }

    /// <summary>Starts a worker's job-stop long-poll and returns once it is parked.</summary>
    private static async Task<Task<HttpResponseMessage>> ParkedStopPollAsync(Harness h, string workerId)
    {
        var poll = h.Worker.GetAsync($"/v2/{h.Ep}/job-stop/{workerId}");
        await h.Timers.WaitForTimerAsync(LongPoll);
        return poll;
    }

    private static async Task<JsonObject> ReadAsync(Task<HttpResponseMessage> pending, string what)
    {
        var response = await pending.Within(Prompt, what);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await TestServer.ReadAsync(response);
    }

    /// <summary>
    /// Sweeps (moving the outbox to delivery), then cancels a job of the sentinel endpoint and sweeps again: the
    /// sentinel's webhook is queued behind anything the jobs had queued, so once it has arrived every delivery of
    /// theirs has too. Asserts each job's webhook arrived exactly once and nothing else did; answers each status.
    /// </summary>
    private static async Task<Dictionary<string, string>> DeliveredOnceAsync(Harness h, params string[] ids)
    {
        await h.Server.Sweeper.SweepOnceAsync();
        var sentinelEp = h.Ep + "-sentinel";
        var sentinel = await h.Server.RunAsync(sentinelEp, h.Body("0"));
        (await h.Server.Client.PostAsync($"/v2/{sentinelEp}/cancel/{sentinel}", null)).EnsureSuccessStatusCode();
        await h.Server.Sweeper.SweepOnceAsync();
        await Eventually.ValueAsync(
            () => Task.FromResult(Posted(h).Any(p => p.Id == sentinel) ? h : null), "the sentinel's webhook", 20);

        var posted = Posted(h).Where(p => p.Id != sentinel).ToList();
        Assert.Equal(ids.Order(StringComparer.Ordinal), posted.Select(p => p.Id).Order(StringComparer.Ordinal));
        return posted.ToDictionary(p => p.Id, p => p.Status);
    }

    private static IEnumerable<(string Id, string Status)> Posted(Harness h) =>
        h.Receiver.Received.Select(r => JsonNode.Parse(r.Body)!.AsObject())
            .Select(b => ((string)b["id"]!, (string)b["status"]!));

    /// <summary>
    /// Waits until the endpoint's <c>hearth_jobs_finished_total</c> add up to the expected total, then asserts
    /// each status's count: a job counted twice shows as one too many. Called after
    /// <see cref="DeliveredOnceAsync"/>, whose sentinel is on another endpoint and counted there.
    /// </summary>
    private static async Task AssertCountedAsync(Harness h, params (string Status, long Count)[] expected)
    {
        var total = expected.Sum(e => e.Count);
        var counted = await Eventually.ValueAsync(async () =>
        {
            var now = await FinishedAsync(h);
            return now.Values.Sum() >= total ? now : null;
        }, $"{total} finished jobs of {h.Ep} to be counted", 20);
        Assert.Equal(expected.ToDictionary(e => e.Status, e => e.Count), counted);
    }

    private static async Task<Dictionary<string, long>> FinishedAsync(Harness h)
    {
        var text = await h.Server.Http(TestServer.AdminKey).GetStringAsync("/metrics");
        var line = new Regex(
            "^hearth_jobs_finished_total\\{[^}]*endpoint=\"" + Regex.Escape(h.Ep)
                + "\",status=\"(\\w+)\"[^}]*\\} (\\d+)",
            RegexOptions.Multiline);
        return line.Matches(text)
            .ToDictionary(m => m.Groups[1].Value, m => long.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture));
    }

    private sealed class Harness(
        TestServer server, WebhookReceiver receiver, SignallingTimeProvider timers, HttpClient worker, string ep)
        : IAsyncDisposable
    {
        public TestServer Server => server;

        public WebhookReceiver Receiver => receiver;

        public SignallingTimeProvider Timers => timers;

        public HttpClient Worker => worker;

        public string Ep => ep;

        public string Hook => receiver.Url + "done";

        public string Body(string input) => $$"""{"input":{{input}},"webhook":"{{Hook}}"}""";

        public async ValueTask DisposeAsync()
        {
            worker.Dispose();
            await server.DisposeAsync();
            await receiver.DisposeAsync();
        }
    }
}

using Hearth.Server.Hosting;
using Hearth.Server.Tests.Fixtures;

namespace Hearth.Server.Tests.Jobs;

/// <summary>Real worker processes against a real server: the failure scenarios of spec/reliability.md R1 and R5.</summary>
public sealed class WorkerLossTests(GarnetStoreFixture store) : IClassFixture<GarnetStoreFixture>
{
    [Fact]
    public async Task A_job_whose_worker_is_killed_is_regranted_after_the_lease_and_completed_once_by_another()
    {
        var ep = GarnetStoreFixture.UniqueEndpoint("echo");
        await using var server = await TestServer.StartAsync(store.Host, o => o.Endpoints.Add(new EndpointOptions { Name = ep }));
        using var doomed = WorkerProcess.Start(server.BaseUrl, ep, "worker-a");
        await doomed.WaitForLineAsync("ready");

        var id = await server.RunAsync(ep, """{"input":{"n":7,"sleep_ms":1,"sleep_ms_on":{"worker-a":600000}}}""");
        await server.WaitForAsync(ep, id, s => (string?)s["workerId"] == "worker-a");
        doomed.Kill();

        using var survivor = WorkerProcess.Start(server.BaseUrl, ep, "worker-b");
        await survivor.WaitForLineAsync("ready");

        // Inside the lease nothing happens; one sweep after it, the job is re-granted.
        server.Time.Advance(TimeSpan.FromSeconds(29));
        await server.Sweeper.SweepOnceAsync();
        Assert.Equal("IN_PROGRESS", (string?)(await server.StatusAsync(ep, id))["status"]);
        server.Time.Advance(TimeSpan.FromSeconds(2));
        await server.Sweeper.SweepOnceAsync();

        var done = await server.WaitForAsync(ep, id, s => (string?)s["status"] == "COMPLETED");
        Assert.Equal("worker-b", (string?)done["workerId"]);
        Assert.Equal(7, (int)done["output"]!["n"]!);

        // The dead worker's late result is refused and changes nothing.
        var worker = server.Http(null);
        worker.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", TestServer.WorkerToken);
        var late = await worker.PostAsync($"/v2/{ep}/job-done/worker-a/{id}?isStream=false", TestServer.Json("""{"output":"late"}"""));
        Assert.Equal(System.Net.HttpStatusCode.Conflict, late.StatusCode);
        Assert.Equal(7, (int)(await server.StatusAsync(ep, id))["output"]!["n"]!);

        var health = await TestServer.ReadAsync(await server.Client.GetAsync($"/v2/{ep}/health"));
        Assert.Equal(1, (int)health["jobs"]!["completed"]!);
    }

    [Fact]
    public async Task A_hung_job_times_out_and_its_worker_gets_the_stop_signal_and_frees_up()
    {
        var ep = GarnetStoreFixture.UniqueEndpoint("hang");
        await using var server = await TestServer.StartAsync(store.Host, o => o.Endpoints.Add(new EndpointOptions { Name = ep, ExecutionTimeoutMs = 5_000 }));
        using var worker = WorkerProcess.Start(server.BaseUrl, ep, "worker-h");
        await worker.WaitForLineAsync("ready");

        var id = await server.RunAsync(ep, """{"input":{"hang":true}}""");
        await server.WaitForAsync(ep, id, s => (string?)s["status"] == "IN_PROGRESS");

        server.Time.Advance(TimeSpan.FromMilliseconds(5_001));
        await server.Sweeper.SweepOnceAsync();

        var timedOut = await server.StatusAsync(ep, id);
        Assert.Equal("TIMED_OUT", (string?)timedOut["status"]);
        Assert.Contains("execution timeout", (string?)timedOut["error"]);
        Assert.Equal("worker-h", (string?)timedOut["workerId"]);
        Assert.Equal(5_001, (long)timedOut["executionTime"]!);

        await worker.WaitForLineAsync($"stopping job {id}");

        // The worker (concurrency 1) is free again: the next job completes on it.
        var next = await server.RunAsync(ep, """{"input":{"after":"timeout"}}""");
        var done = await server.WaitForAsync(ep, next, s => (string?)s["status"] == "COMPLETED");
        Assert.Equal("worker-h", (string?)done["workerId"]);
        Assert.Equal("TIMED_OUT", (string?)(await server.StatusAsync(ep, id))["status"]);
    }

    [Fact]
    public async Task A_sessions_jobs_all_land_on_the_worker_that_took_its_first()
    {
        // 20 turns over 3 idle workers: without affinity, each turn goes to whichever worker asks first, and all 20
        // landing on one worker by chance has a probability of about 3 × (1/3)^20 ≈ 9e-10 (the old 3 turns over 2
        // workers passed one time in four with affinity broken).
        const int Turns = 20;
        var ep = GarnetStoreFixture.UniqueEndpoint("sess");
        await using var server = await TestServer.StartAsync(store.Host, o => o.Endpoints.Add(new EndpointOptions { Name = ep }));
        using var a = WorkerProcess.Start(server.BaseUrl, ep, "worker-a");
        using var b = WorkerProcess.Start(server.BaseUrl, ep, "worker-b");
        using var c = WorkerProcess.Start(server.BaseUrl, ep, "worker-c");
        await a.WaitForLineAsync("ready");
        await b.WaitForLineAsync("ready");
        await c.WaitForLineAsync("ready");

        var session = new List<string?>();
        var free = new List<string?>();
        for (var turn = 0; turn < Turns; turn++)
        {
            var id = await server.RunAsync(ep, $$"""{"input":{"turn":{{turn}}},"session_id":"chat-1"}""");
            var done = await server.WaitForAsync(ep, id, s => (string?)s["status"] == "COMPLETED");
            session.Add((string?)done["workerId"]);

            // A job of no session in between may go to any worker.
            var other = await server.RunAsync(ep, """{"input":{"free":true}}""");
            var otherDone = await server.WaitForAsync(ep, other, s => (string?)s["status"] == "COMPLETED");
            free.Add((string?)otherDone["workerId"]);
        }

        Assert.True(
            session.Distinct().Count() == 1,
            $"the session's {Turns} jobs ran on {string.Join(", ", session)}; "
            + $"jobs of no session on {string.Join(", ", free)}");
    }
}

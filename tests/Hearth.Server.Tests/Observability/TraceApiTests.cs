using System.Net;
using System.Text.Json.Nodes;
using Hearth.Server.Hosting;
using Hearth.Server.Observability;
using Hearth.Server.Tests.Fixtures;
using Hearth.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Hearth.Server.Tests.Observability;

/// <summary>
/// The span store and trace API over real HTTP: the submit's traceparent becomes the job span's parent, the worker's
/// reported spans join the trace, a timed-out job's error names the step that was open at the deadline (marked hung),
/// and /metrics shows the Hearth meter. Virtual time; a "worker" here is the test speaking the worker protocol.
/// </summary>
public sealed class TraceApiTests(GarnetStoreFixture store) : IClassFixture<GarnetStoreFixture>
{
    private const string CallerTrace = "4bf92f3577b34da6a3ce929d0e0e4736";
    private const string CallerSpan = "00f067aa0ba902b7";

    [Fact]
    public async Task A_timed_out_job_names_its_open_step_and_the_trace_shows_it_hung()
    {
        var ep = GarnetStoreFixture.UniqueEndpoint("trace");
        await using var server = await TestServer.StartAsync(store.Host, o => o.Endpoints.Add(new EndpointOptions { Name = ep, ExecutionTimeoutMs = 120_000 }));
        var worker = Worker(server);

        using var run = new HttpRequestMessage(HttpMethod.Post, $"/v2/{ep}/run") { Content = TestServer.Json("""{"input":{"q":"why"}}""") };
        run.Headers.TryAddWithoutValidation("traceparent", $"00-{CallerTrace}-{CallerSpan}-01");
        var id = (string)(await TestServer.ReadAsync(await server.Client.SendAsync(run)))["id"]!;

        var taken = TestServer.Parse(await worker.GetStringAsync($"/v2/{ep}/job-take/w1?"));
        var traceParent = (string)taken["traceparent"]!;
        Assert.StartsWith($"00-{CallerTrace}-", traceParent, StringComparison.Ordinal);
        var jobSpan = traceParent.Split('-')[2];

        // The worker reports execute and a step "synthesis" started 24.8 s in, both still open.
        var t0 = server.Time.GetUtcNow().ToUnixTimeMilliseconds();
        var report = $$$"""
            {"spans":[
              {"traceId":"{{{CallerTrace}}}","spanId":"1111111111111111","parentSpanId":"{{{jobSpan}}}","name":"execute","startMs":{{{t0}}},"endMs":null,"status":"unset",
               "attributes":{"hearth.job_id":"{{{id}}}","hearth.worker_id":"w1","hearth.endpoint":"{{{ep}}}"}},
              {"traceId":"{{{CallerTrace}}}","spanId":"2222222222222222","parentSpanId":"1111111111111111","name":"step synthesis","startMs":{{{t0 + 24_800}}},"endMs":null,"status":"unset",
               "attributes":{"hearth.job_id":"{{{id}}}","hearth.step":"synthesis"}}]}
            """;
        // Another worker cannot write into this job's trace (it would change the job's timeout diagnosis).
        var forged = TestServer.Parse(await (await worker.PostAsync($"/v2/{ep}/job-spans/w2",
            TestServer.Json(report.Replace("synthesis", "forged", StringComparison.Ordinal))))
            .EnsureSuccessStatusCode().Content.ReadAsStringAsync());
        Assert.Equal(0, (int)forged["accepted"]!);
        Assert.Equal(2, (int)forged["dropped"]!);

        var accepted = TestServer.Parse(await (await worker.PostAsync($"/v2/{ep}/job-spans/w1", TestServer.Json(report))).EnsureSuccessStatusCode().Content.ReadAsStringAsync());
        Assert.Equal(2, (int)accepted["accepted"]!);

        server.Time.Advance(TimeSpan.FromMilliseconds(120_001));
        await server.Sweeper.SweepOnceAsync();

        // The hosted sweeper runs on the same virtual clock and may be the one that times the job out; either way the
        // job is never seen TIMED_OUT without its diagnosis.
        var status = await server.WaitForAsync(ep, id, s => (string?)s["status"] == "TIMED_OUT");
        Assert.Equal("TIMED_OUT", (string?)status["status"]);
        Assert.Equal("TIMED_OUT after 120000 ms: step \"synthesis\" open for 95.2 s", (string?)status["error"]);

        var trace = await Eventually.ValueAsync(async () =>
        {
            var t = await TraceAsync(server, id);
            return Span(t, "job")?["open"]?.GetValue<bool>() == false ? t : null;
        }, "the job span to be closed");
        Assert.Equal(CallerTrace, (string?)trace["traceId"]);
        Assert.Equal(ep, (string?)trace["endpoint"]);
        var job = Span(trace, "job")!;
        Assert.Equal(CallerSpan, (string?)job["parentSpanId"]);
        Assert.Equal("control-plane", (string?)job["source"]);
        Assert.Equal("error", (string?)job["status"]);
        Assert.Equal("TIMED_OUT", (string?)job["attributes"]!["hearth.status"]);
        Assert.Equal(jobSpan, (string?)Span(trace, "queue.wait")!["parentSpanId"]);

        var step = Span(trace, "step synthesis")!;
        Assert.Equal("worker:w1", (string?)step["source"]);
        Assert.True((bool)step["open"]!);
        Assert.True((bool)step["attributes"]!["hearth.hung"]!);
        Assert.Equal(95_201.0, (double)step["durationMs"]!);
        Assert.Null(Span(trace, "execute")!["attributes"]!["hearth.hung"]);
    }

    [Fact]
    public async Task Unknown_jobs_bad_reports_and_missing_keys_answer_error_and_hint()
    {
        var ep = GarnetStoreFixture.UniqueEndpoint("trace");
        await using var server = await TestServer.StartAsync(store.Host, o => o.Endpoints.Add(new EndpointOptions { Name = ep }));
        var admin = server.Http(TestServer.AdminKey);

        var missing = await admin.GetAsync("/api/jobs/no-such-job/trace");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        var body = await TestServer.ReadAsync(missing);
        Assert.Contains("no-such-job", (string?)body["error"], StringComparison.Ordinal);
        Assert.NotNull(body["hint"]);

        Assert.Equal(HttpStatusCode.Forbidden, (await server.Client.GetAsync("/api/jobs/x/trace")).StatusCode);

        var worker = Worker(server);
        var bad = await worker.PostAsync($"/v2/{ep}/job-spans/w1", TestServer.Json("""{"spans":[{"traceId":"xyz","spanId":"1","name":"execute","startMs":1}]}"""));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("spans[0]", (string?)(await TestServer.ReadAsync(bad))["error"], StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, (await server.Http(null).PostAsync($"/v2/{ep}/job-spans/w1", TestServer.Json("""{"spans":[]}"""))).StatusCode);
    }

    [Fact]
    public async Task Metrics_exposes_the_hearth_meter()
    {
        var ep = GarnetStoreFixture.UniqueEndpoint("metrics");
        await using var server = await TestServer.StartAsync(store.Host, o => o.Endpoints.Add(new EndpointOptions { Name = ep }));
        var worker = Worker(server);
        var id = await server.RunAsync(ep, """{"input":1}""");
        await server.RunAsync(ep, """{"input":2}""");
        TestServer.Parse(await worker.GetStringAsync($"/v2/{ep}/job-take/w1?"));
        server.Time.Advance(TimeSpan.FromMilliseconds(40));
        (await worker.PostAsync($"/v2/{ep}/job-done/w1/{id}", TestServer.Json("""{"output":1}"""))).EnsureSuccessStatusCode();
        server.Services.GetRequiredService<HearthMetrics>().ColdStart(ep, 180);
        await server.Services.GetRequiredService<MetricsSampler>().SampleOnceAsync();

        var text = await Eventually.ValueAsync(async () =>
        {
            var t = await server.Http(TestServer.AdminKey).GetStringAsync("/metrics");
            return t.Contains("hearth_jobs_finished", StringComparison.Ordinal) ? t : null;
        }, "the finished job to be counted");
        Assert.Contains($"hearth_queue_depth{{otel_scope_name=\"Hearth\",endpoint=\"{ep}\",priority=\"normal\"}} 1", text, StringComparison.Ordinal);
        foreach (var name in new[] { "hearth_jobs_in_progress", "hearth_workers", "hearth_vram_reserved_bytes", "hearth_job_delay_milliseconds_bucket",
            "hearth_job_execution_milliseconds_bucket", "hearth_worker_cold_starts_total", "hearth_worker_cold_start_milliseconds_bucket" })
        {
            Assert.Contains(name, text, StringComparison.Ordinal);
        }

        Assert.Contains($"hearth_jobs_finished_total{{otel_scope_name=\"Hearth\",endpoint=\"{ep}\",status=\"COMPLETED\"}} 1", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_burst_of_jobs_finished_in_one_batch_gets_every_job_span_closed_in_its_own_trace()
    {
        var ep = GarnetStoreFixture.UniqueEndpoint("burst");
        await using var server = await TestServer.StartAsync(store.Host, o => o.Endpoints.Add(new EndpointOptions { Name = ep }));
        var worker = Worker(server);
        var ids = new List<string>();
        for (var i = 0; i < 40; i++)
        {
            ids.Add(await server.RunAsync(ep, $$$"""{"input":{"i":{{{i}}}}}"""));
        }

        var taken = JsonNode.Parse(await worker.GetStringAsync($"/v2/{ep}/job-take-batch/w1?batch_size=40"))!.AsArray();
        Assert.Equal(40, taken.Count);
        var results = string.Join(",", ids.Select(id => $$"""{"id":"{{id}}","output":"{{id}}"}"""));
        (await worker.PostAsync($"/v2/{ep}/job-done-batch/w1", TestServer.Json("[" + results + "]"))).EnsureSuccessStatusCode();

        foreach (var id in ids)
        {
            var trace = await Eventually.ValueAsync(async () =>
            {
                var t = await TraceAsync(server, id);
                return Span(t, "job")?["open"]?.GetValue<bool>() == false ? t : null;
            }, $"the job span of {id} to be closed");
            Assert.Equal("COMPLETED", (string?)Span(trace, "job")!["attributes"]!["hearth.status"]);
            Assert.NotNull(Span(trace, "queue.wait"));
        }
    }

    [Fact]
    public async Task A_job_that_starts_its_own_trace_is_rebuilt_from_the_job_and_one_inside_a_trace_is_stored()
    {
        var ep = GarnetStoreFixture.UniqueEndpoint("roots");
        await using var server = await TestServer.StartAsync(store.Host, o => o.Endpoints.Add(new EndpointOptions { Name = ep }));
        var worker = Worker(server);
        var root = await server.RunAsync(ep, """{"input":{},"session_id":"s-roots"}""");
        using var run = new HttpRequestMessage(HttpMethod.Post, $"/v2/{ep}/run") { Content = TestServer.Json("""{"input":{}}""") };
        run.Headers.TryAddWithoutValidation("traceparent", $"00-{CallerTrace}-{CallerSpan}-01");
        var child = (string)(await TestServer.ReadAsync(await server.Client.SendAsync(run)))["id"]!;
        foreach (var _ in new[] { root, child })
        {
            var taken = JsonNode.Parse(await worker.GetStringAsync($"/v2/{ep}/job-take/w1"))!;
            (await worker.PostAsync($"/v2/{ep}/job-done/w1/{taken["id"]}", TestServer.Json("""{"output":1}"""))).EnsureSuccessStatusCode();
        }

        var rootTrace = await Eventually.ValueAsync(async () =>
        {
            var t = await TraceAsync(server, root);
            return Span(t, "job")?["open"]?.GetValue<bool>() == false ? t : null;
        }, "the root job's span to be closed");
        Assert.Equal("COMPLETED", (string?)Span(rootTrace, "job")!["attributes"]!["hearth.status"]);
        Assert.Equal("s-roots", (string?)Span(rootTrace, "job")!["attributes"]!["hearth.session_id"]);
        Assert.NotNull(Span(rootTrace, "queue.wait"));

        // The child's closed job span reaches the span store; the root's trace holds nothing stored.
        var stored = await Eventually.ValueAsync(async () =>
        {
            var read = await store.Host.Traces.ReadTraceAsync(CallerTrace);
            return read.Spans.Any(s => s.Contains("\"hearth.status\":\"COMPLETED\"", StringComparison.Ordinal)) ? read : null;
        }, "the child's closed job span to be stored");
        Assert.Contains(stored.Spans, s => s.Contains(child, StringComparison.Ordinal));
        Assert.Empty((await store.Host.Traces.ReadTraceAsync((string)rootTrace["traceId"]!)).Spans);
    }

    [Fact]
    public async Task Spans_sent_with_a_result_are_kept_with_the_job_and_shown_in_its_trace()
    {
        var ep = GarnetStoreFixture.UniqueEndpoint("rspans");
        await using var server = await TestServer.StartAsync(store.Host, o => o.Endpoints.Add(new EndpointOptions { Name = ep }));
        var worker = Worker(server);
        var ids = new[] { await server.RunAsync(ep, """{"input":{}}"""), await server.RunAsync(ep, """{"input":{}}""") };
        var taken = JsonNode.Parse(await worker.GetStringAsync($"/v2/{ep}/job-take-batch/w1?batch_size=2"))!.AsArray();
        var t0 = server.Time.GetUtcNow().ToUnixTimeMilliseconds();
        string Execute(JsonNode job, string spanId, string namedJob) => $$$"""
            {"traceId":"{{{((string)job["traceparent"]!).Split('-')[1]}}}","spanId":"{{{spanId}}}","parentSpanId":"{{{((string)job["traceparent"]!).Split('-')[2]}}}",
             "name":"execute","startMs":{{{t0}}},"endMs":{{{t0 + 3}}},"status":"ok","attributes":{"hearth.job_id":"{{{namedJob}}}","hearth.endpoint":"{{{ep}}}"}}
            """;

        // One alone (job-done) with a span naming another job (left out) and a malformed one (left out, result kept);
        // one in a batch.
        var first = taken[0]!;
        var alone = $$"""{"output":1,"spans":[{{Execute(first, "aaaaaaaaaaaaaaaa", (string)first["id"]!)}},{{Execute(first, "bbbbbbbbbbbbbbbb", "other")}},{"name":"x"}]}""";
        (await worker.PostAsync($"/v2/{ep}/job-done/w1/{first["id"]}", TestServer.Json(alone))).EnsureSuccessStatusCode();
        var second = taken[1]!;
        var batch = $$"""[{"id":"{{second["id"]}}","output":2,"spans":[{{Execute(second, "cccccccccccccccc", (string)second["id"]!)}}]}]""";
        (await worker.PostAsync($"/v2/{ep}/job-done-batch/w1", TestServer.Json(batch))).EnsureSuccessStatusCode();

        foreach (var (job, spanId) in new[] { (first, "aaaaaaaaaaaaaaaa"), (second, "cccccccccccccccc") })
        {
            var trace = await TraceAsync(server, (string)job["id"]!);
            var execute = Span(trace, "execute")!;
            Assert.Equal(spanId, (string?)execute["spanId"]);
            Assert.Equal("worker:w1", (string?)execute["source"]);
            Assert.Equal(3.0, (double)execute["durationMs"]!);
            Assert.Single(trace["spans"]!.AsArray(), s => (string?)s!["name"] == "execute");
            Assert.Empty((await store.Host.Traces.ReadTraceAsync((string)trace["traceId"]!)).Spans);
        }

        foreach (var id in ids)
        {
            Assert.Equal("COMPLETED", (string?)(await server.StatusAsync(ep, id))["status"]);
        }
    }

    [Fact]
    public async Task With_tracing_off_jobs_carry_no_trace_and_are_still_counted()
    {
        var ep = GarnetStoreFixture.UniqueEndpoint("untraced");
        await using var server = await TestServer.StartAsync(store.Host, o => o.Endpoints.Add(new EndpointOptions { Name = ep }),
            services: s => s.Configure<TracingOptions>(t => t.Enabled = false));
        var worker = Worker(server);
        var id = await server.RunAsync(ep, """{"input":{}}""");
        var taken = JsonNode.Parse(await worker.GetStringAsync($"/v2/{ep}/job-take/w1"))!;
        Assert.Null(taken["traceparent"]);
        (await worker.PostAsync($"/v2/{ep}/job-done/w1/{id}", TestServer.Json("""{"output":1}"""))).EnsureSuccessStatusCode();

        var admin = server.Http(TestServer.AdminKey);
        var response = await admin.GetAsync($"/api/jobs/{id}/trace");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("has no trace", (string?)(await TestServer.ReadAsync(response))["error"], StringComparison.Ordinal);
        await Eventually.ValueAsync(async () =>
            (await admin.GetStringAsync("/metrics")).Contains($"endpoint=\"{ep}\",status=\"COMPLETED\"}} 1", StringComparison.Ordinal) ? "" : null,
            "the job to be counted");
    }

    private static HttpClient Worker(TestServer server)
    {
        var worker = server.Http(null);
        worker.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", TestServer.WorkerToken);
        return worker;
    }

    private static async Task<JsonObject> TraceAsync(TestServer server, string id)
    {
        var admin = server.Http(TestServer.AdminKey);
        var response = await admin.GetAsync($"/api/jobs/{id}/trace");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await TestServer.ReadAsync(response);
    }

    private static JsonObject? Span(JsonObject trace, string name) =>
        trace["spans"]!.AsArray().Select(s => s!.AsObject()).FirstOrDefault(s => (string?)s["name"] == name);
}

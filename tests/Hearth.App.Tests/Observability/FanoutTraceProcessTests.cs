using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Hearth.App.Tests.Hosting;
using Hearth.Client;
using Hearth.Testing;

namespace Hearth.App.Tests.Observability;

/// <summary>
/// Done-when of the tracing issue, with real processes: `dev` of the Echo sample exports OTLP to a collector stand-in in
/// this test; a fanout job calling echo twice yields spans from three processes (control plane, fanout worker, echo
/// worker) with one trace id and parent links job → execute → call → callee job → callee execute. The built-in span
/// store answers the same trace on /api/jobs/{id}/trace, and `hearth jobs trace` draws it.
/// </summary>
public sealed class FanoutTraceProcessTests
{
    private const string AdminKey = "test-admin";

    [Fact]
    public async Task A_fanout_is_one_trace_across_three_processes_in_the_collector_and_the_span_store()
    {
        await using var collector = await OtlpReceiver.StartAsync();
        var environment = new Dictionary<string, string>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = collector.Endpoint,
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_BSP_SCHEDULE_DELAY"] = "200",
            ["OTEL_METRIC_EXPORT_INTERVAL"] = "60000",
        };
        using var app = AppProcess.Start(AppProcess.Built("samples/Echo", "Echo.dll"), environment,
            "dev", "--port", "0", "--data", Path.Combine(Path.GetTempPath(), "hearth-trace-test-" + Guid.NewGuid().ToString("N")),
            "--api-key", "test-key", "--admin-key", AdminKey, "--quiet");
        var address = (await app.WaitForAsync(@"listening on (http://\S+)")).Groups[1].Value;
        await app.WaitForAsync("^Ready in");

        using var client = new HearthClient(new Uri(address + "/v2"), "test-key");
        var fanout = await client.Endpoint("fanout").RunSyncAsync<JsonElement, JsonElement>(JsonSerializer.SerializeToElement(new { words = new[] { "a", "b" } }));
        Assert.True(fanout.IsCompleted, fanout.Error);

        // The built-in store: the whole trace, from the control plane and both workers, once every span is closed.
        using var admin = new HttpClient { BaseAddress = new Uri(address) };
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
        var trace = await Eventually.ValueAsync(async () =>
        {
            var t = JsonNode.Parse(await admin.GetStringAsync($"/api/jobs/{fanout.Id}/trace"))!.AsObject();
            var spans = t["spans"]!.AsArray();
            return spans.Count >= 11 && spans.All(s => !(bool)s!["open"]!) ? t : null;
        }, "the fanout's trace to hold 11 closed spans", 30);
        var traceId = (string)trace["traceId"]!;
        var stored = trace["spans"]!.AsArray().Select(s => s!.AsObject()).ToList();
        Assert.All(stored, s => Assert.Equal(traceId, (string?)s["traceId"]));
        Assert.Contains(stored, s => ((string?)s["source"])!.StartsWith("worker:fanout-", StringComparison.Ordinal));
        Assert.Contains(stored, s => ((string?)s["source"])!.StartsWith("worker:echo-", StringComparison.Ordinal));
        AssertLinks(stored.Select(s => (Id: (string)s["spanId"]!, Parent: (string?)s["parentSpanId"], Name: (string)s["name"]!, JobId: (string?)s["attributes"]!["hearth.job_id"])).ToList(), fanout.Id);

        // The collector: the same spans, exported by three processes.
        var received = await Eventually.ValueAsync(() =>
        {
            var mine = collector.Spans.Where(s => s.TraceId == traceId).ToList();
            return Task.FromResult(mine.Count >= 11 ? mine : null);
        }, "11 spans of the trace at the collector", 30);
        Assert.Equal(["hearth-control-plane", "hearth-worker-echo", "hearth-worker-fanout"], received.Select(s => s.Service).Distinct().Order().ToArray());
        Assert.All(received.Where(s => s.Name == "job"), s => Assert.Equal("hearth-control-plane", s.Service));
        AssertLinks(received.Select(s => (Id: s.SpanId, Parent: s.ParentSpanId, s.Name, JobId: s.Attributes.GetValueOrDefault("hearth.job_id"))).ToList(), fanout.Id);

        // The CLI draws it.
        using var cli = AppProcess.Start(AppProcess.Built("src/Hearth.Cli", "hearth.dll"), "jobs", "trace", fanout.Id, "--server", address, "--admin-key", AdminKey);
        Assert.Equal(0, await cli.WaitForExitAsync());
        Assert.Contains("call echo", cli.Output, StringComparison.Ordinal);
        Assert.Contains(traceId, cli.Output, StringComparison.Ordinal);

        app.Signal("TERM");
        Assert.Equal(0, await app.WaitForExitAsync());
    }

    [Fact]
    public async Task A_real_worker_timing_out_in_a_step_names_that_step_and_the_trace_marks_it_hung()
    {
        using var app = AppProcess.Start(AppProcess.Built("samples/Echo", "Echo.dll"),
            "dev", "--port", "0", "--data", Path.Combine(Path.GetTempPath(), "hearth-trace-test-" + Guid.NewGuid().ToString("N")),
            "--api-key", "test-key", "--admin-key", AdminKey, "--quiet");
        var address = (await app.WaitForAsync(@"listening on (http://\S+)")).Groups[1].Value;
        await app.WaitForAsync("^Ready in");

        // The agent's "work" step sleeps far past the job's 5 s execution timeout.
        using var http = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromSeconds(60) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "test-key");
        var counter = Path.Combine(Path.GetTempPath(), "hearth-agent-" + Guid.NewGuid().ToString("N"));
        var body = JsonSerializer.Serialize(new { input = new { counter_file = counter, work_ms = 60_000 }, policy = new { executionTimeout = 5_000 } });
        var response = await http.PostAsync("/v2/agent/runsync?wait=30000", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        var status = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
        Assert.Equal("TIMED_OUT", (string?)status["status"]);
        Assert.Matches(@"^TIMED_OUT after 5000 ms: step ""work"" open for \d+\.\d s$", (string?)status["error"]);

        using var admin = new HttpClient { BaseAddress = new Uri(address) };
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
        // Spans are marked hung right after the sweep that timed the job out.
        var work = await Eventually.ValueAsync(async () =>
        {
            var trace = JsonNode.Parse(await admin.GetStringAsync($"/api/jobs/{(string)status["id"]!}/trace"))!.AsObject();
            var step = trace["spans"]!.AsArray().Select(s => s!.AsObject()).Single(s => (string?)s["name"] == "step work");
            return step["attributes"]!["hearth.hung"] is not null ? step : null;
        }, "the work step to be marked hung");
        Assert.True((bool)work["attributes"]!["hearth.hung"]!);
        Assert.Equal("work", (string?)work["attributes"]!["hearth.step"]);
        Assert.StartsWith("worker:agent-", (string?)work["source"], StringComparison.Ordinal);

        app.Signal("TERM");
        Assert.Equal(0, await app.WaitForExitAsync());
    }

    /// <summary>job (root) → execute → 2 × call echo → echo job → echo execute; every job has a queue.wait under it.</summary>
    private static void AssertLinks(List<(string Id, string? Parent, string Name, string? JobId)> spans, string rootJobId)
    {
        var byId = spans.GroupBy(s => s.Id).ToDictionary(g => g.Key, g => g.First());
        var root = Assert.Single(spans, s => s.Name == "job" && s.JobId == rootJobId);
        Assert.Null(root.Parent);
        var execute = Assert.Single(spans, s => s.Name == "execute" && s.Parent == root.Id);
        Assert.Single(spans, s => s.Name == "queue.wait" && s.Parent == root.Id);
        var calls = spans.Where(s => s.Name == "call echo" && s.Parent == execute.Id).ToList();
        Assert.Equal(2, calls.Count);
        foreach (var call in calls)
        {
            var callee = Assert.Single(spans, s => s.Name == "job" && s.Parent == call.Id);
            Assert.NotEqual(rootJobId, callee.JobId);
            Assert.Single(spans, s => s.Name == "execute" && s.Parent == callee.Id);
            Assert.Single(spans, s => s.Name == "queue.wait" && s.Parent == callee.Id);
        }

        Assert.All(spans.Where(s => s.Parent is not null), s => Assert.True(byId.ContainsKey(s.Parent!), $"{s.Name} points at a parent {s.Parent} that is not in the trace"));
    }
}

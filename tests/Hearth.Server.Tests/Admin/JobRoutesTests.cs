using System.Net;
using Hearth.Server.Hosting;
using Hearth.Server.Tests.Fixtures;

namespace Hearth.Server.Tests.Admin;

/// <summary>The recent-jobs admin API the dashboard reads: list with filters, detail with truncated input and output, stats.</summary>
public sealed class JobRoutesTests(GarnetStoreFixture store) : IClassFixture<GarnetStoreFixture>
{
    [Fact]
    public async Task Jobs_are_listed_newest_first_filtered_and_opened_with_input_and_output()
    {
        var ep = GarnetStoreFixture.UniqueEndpoint("jobs");
        await using var server = await TestServer.StartAsync(store.Host, o => o.Endpoints.Add(new EndpointOptions { Name = ep }));
        using var admin = server.Http(TestServer.AdminKey);
        using var worker = server.Http(TestServer.WorkerToken);

        var first = await server.RunAsync(ep, """{"input":{"n":1}}""");
        server.Time.Advance(TimeSpan.FromMilliseconds(5));
        var second = await server.RunAsync(ep, """{"input":{"n":2}}""");
        var taken = TestServer.Parse(await worker.GetStringAsync($"/v2/{ep}/job-take/w1"));
        Assert.Equal(first, (string?)taken["id"]);
        server.Time.Advance(TimeSpan.FromMilliseconds(30));
        var big = new string('x', 5000);
        (await worker.PostAsync($"/v2/{ep}/job-done/w1/{first}", TestServer.Json($$$"""{"output":{"text":"{{{big}}}"}}"""))).EnsureSuccessStatusCode();

        var all = TestServer.Parse(await admin.GetStringAsync($"/api/jobs?endpoint={ep}"))["jobs"]!.AsArray();
        Assert.Equal([second, first], all.Select(j => (string?)j!["id"]));
        var done = all[1]!.AsObject();
        Assert.Equal(["id", "endpoint", "status", "submittedAt", "startedAt", "completedAt", "delayTime", "executionTime", "workerId", "sessionId", "error", "reason"], done.Select(p => p.Key));
        Assert.Equal("COMPLETED", (string?)done["status"]);
        Assert.Equal(30, (long)done["executionTime"]!);
        Assert.Equal("w1", (string?)done["workerId"]);
        Assert.Equal(DateTimeOffset.Parse((string)done["startedAt"]!).AddMilliseconds(30), DateTimeOffset.Parse((string)done["completedAt"]!));

        var queued = TestServer.Parse(await admin.GetStringAsync($"/api/jobs?endpoint={ep}&status=IN_QUEUE"))["jobs"]!.AsArray();
        Assert.Equal([second], queued.Select(j => (string?)j!["id"]));
        Assert.Single(TestServer.Parse(await admin.GetStringAsync($"/api/jobs?endpoint={ep}&limit=1"))["jobs"]!.AsArray());

        var detail = TestServer.Parse(await admin.GetStringAsync($"/api/jobs/{first}"));
        Assert.Equal(1, (int)detail["input"]!["n"]!);
        Assert.True((bool)detail["truncated"]!);
        Assert.Equal(JobJsonMaxShown + 1, ((string)detail["output"]!).Length);
        var small = TestServer.Parse(await admin.GetStringAsync($"/api/jobs/{second}"));
        Assert.False((bool)small["truncated"]!);
        Assert.Null(small["output"]);

        var stats = TestServer.Parse(await admin.GetStringAsync("/api/stats"))["endpoints"]![ep]!;
        Assert.Equal(2, (int)stats["sample"]!);
        Assert.Equal(30, (long)stats["executionMs"]!["p50"]!);
        Assert.Equal(1, (int)stats["byStatus"]!["IN_QUEUE"]!);
    }

    private const int JobJsonMaxShown = 4096;

    [Theory]
    [InlineData("/api/jobs?status=DONE", HttpStatusCode.BadRequest, "not a job status")]
    [InlineData("/api/jobs?limit=0", HttpStatusCode.BadRequest, "limit")]
    [InlineData("/api/jobs?limit=many", HttpStatusCode.BadRequest, "limit")]
    [InlineData("/api/jobs?endpoint=nope", HttpStatusCode.NotFound, "does not exist")]
    [InlineData("/api/jobs/nope", HttpStatusCode.NotFound, "No job")]
    public async Task Bad_queries_answer_error_and_hint(string path, HttpStatusCode status, string error)
    {
        var ep = GarnetStoreFixture.UniqueEndpoint("jobs");
        await using var server = await TestServer.StartAsync(store.Host, o => o.Endpoints.Add(new EndpointOptions { Name = ep }));
        using var admin = server.Http(TestServer.AdminKey);
        var response = await admin.GetAsync(path);
        Assert.Equal(status, response.StatusCode);
        var body = await TestServer.ReadAsync(response);
        Assert.Contains(error, (string?)body["error"], StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty((string?)body["hint"]));
    }

    [Theory]
    [InlineData(null, HttpStatusCode.Unauthorized)]
    [InlineData(TestServer.ClientKey, HttpStatusCode.Forbidden)]
    [InlineData(TestServer.WorkerToken, HttpStatusCode.Forbidden)]
    public async Task Only_the_admin_key_reads_jobs(string? key, HttpStatusCode status)
    {
        var ep = GarnetStoreFixture.UniqueEndpoint("jobs");
        await using var server = await TestServer.StartAsync(store.Host, o => o.Endpoints.Add(new EndpointOptions { Name = ep }));
        using var http = server.Http(key);
        foreach (var path in new[] { "/api/jobs", "/api/jobs/x", "/api/stats" })
        {
            Assert.Equal(status, (await http.GetAsync(path)).StatusCode);
        }
    }
}

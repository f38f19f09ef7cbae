using System.Text.Json.Nodes;
using Hearth.Server.Hosting;
using Hearth.Server.Tests.Fixtures;

namespace Hearth.Server.Tests.RunpodPython;

/// <summary>
/// The genuine runpod-python SDK itself (not a recording) runs handler.py against a test server: every kind of job a
/// Runpod worker has ends the way a Runpod client expects. Skipped, with the reason, only where Debian's python3 with
/// python3-aiohttp or the SDK's folder is missing.
/// </summary>
public sealed class RunpodPythonLiveTests(GarnetStoreFixture store) : IClassFixture<GarnetStoreFixture>
{
    [SkippableFact]
    public async Task The_genuine_runpod_python_worker_runs_every_kind_of_job_against_hearth()
    {
        var why = RunpodPythonWorker.WhyNot();
        Skip.If(why is not null, $"needs the genuine runpod-python SDK: {why}");
        var ep = GarnetStoreFixture.UniqueEndpoint("rp-live");
        var streaming = GarnetStoreFixture.UniqueEndpoint("rp-live-stream");
        await using var server = await TestServer.StartAsync(store.Host, o =>
        {
            o.Endpoints.Add(new EndpointOptions { Name = ep });
            o.Endpoints.Add(new EndpointOptions { Name = streaming });
        });
        using var worker = RunpodPythonWorker.Start(server.BaseUrl, ep, ep + "-w1");
        using var streamer = RunpodPythonWorker.Start(server.BaseUrl, streaming, streaming + "-w1", "stream");

        try
        {
            var plain = await FinishAsync(server, ep, """{"input":{"case":"plain","text":"héllo ✓"}}""");
            Assert.Equal("COMPLETED", (string?)plain["status"]);
            Assert.Equal("héllo ✓", (string?)plain["output"]!["echo"]);
            Assert.Equal(worker.Id, (string?)plain["workerId"]);

            var refused = await FinishAsync(server, ep, """{"input":{"case":"error-dict"}}""");
            Assert.Equal("FAILED", (string?)refused["status"]);
            Assert.Equal("the input was refused", (string?)refused["error"]);
            Assert.Equal("text", (string?)refused["output"]!["field"]);

            var raised = await FinishAsync(server, ep, """{"input":{"case":"raise"}}""");
            Assert.Equal("FAILED", (string?)raised["status"]);
            var error = TestServer.Parse((string)raised["error"]!);
            Assert.Equal("<class 'ValueError'>", (string?)error["error_type"]);
            Assert.Equal("boom from the handler", (string?)error["error_message"]);
            Assert.Equal(worker.Id, (string?)error["worker_id"]);

            var progressing = await server.RunAsync(ep, """{"input":{"case":"progress"}}""");
            var halfway = await server.WaitForAsync(ep, progressing, s => s["output"] is JsonObject);
            Assert.Equal("IN_PROGRESS", (string?)halfway["status"]);
            Assert.Equal(50, (int)halfway["output"]!["percent"]!);
            var progressed = await server.WaitForAsync(ep, progressing, IsFinal);
            Assert.Equal("COMPLETED", (string?)progressed["status"]);
            Assert.True((bool)progressed["output"]!["done"]!);

            // Cancelled once the handler runs (it posts progress first): the stop channel cancels its task.
            var cancelled = await server.RunAsync(ep, """{"input":{"case":"cancel"}}""");
            await server.WaitForAsync(ep, cancelled, s => s["output"] is JsonObject);
            var cancel = await server.Client.PostAsync($"/v2/{ep}/cancel/{cancelled}", null);
            cancel.EnsureSuccessStatusCode();
            await worker.WaitForLineAsync("Job stopped.", cancelled);
            Assert.Equal("CANCELLED", (string?)(await server.StatusAsync(ep, cancelled))["status"]);
            var after = await FinishAsync(server, ep, """{"input":{"case":"plain","text":"after cancel"}}""");
            Assert.Equal("COMPLETED", (string?)after["status"]);
            Assert.Equal(worker.Id, (string?)after["workerId"]);

            var streamed = await FinishAsync(server, streaming, """{"input":{"count":3}}""");
            Assert.Equal("COMPLETED", (string?)streamed["status"]);
            Assert.Equal(["t0", "t1", "t2"], streamed["output"]!.AsArray().Select(c => (string?)c!["token"]));
            var stream = TestServer.Parse(
                await server.Client.GetStringAsync($"/v2/{streaming}/stream/{streamed["id"]}"));
            Assert.Equal(["t0", "t1", "t2"], stream["stream"]!.AsArray().Select(c => (string?)c!["output"]!["token"]));
        }
        catch (Exception e) when (e is not SkipException)
        {
            throw new InvalidOperationException(
                $"{e.Message}\n--- {worker.Id}:\n{worker.Output}\n--- {streamer.Id}:\n{streamer.Output}", e);
        }
    }

    private static bool IsFinal(JsonObject status) =>
        (string?)status["status"] is "COMPLETED" or "FAILED" or "CANCELLED" or "TIMED_OUT";

    private static async Task<JsonObject> FinishAsync(TestServer server, string endpoint, string body) =>
        await server.WaitForAsync(endpoint, await server.RunAsync(endpoint, body), IsFinal);
}

using System.Net.Http.Headers;
using System.Text.Json;
using Hearth.Client;
using Hearth.Testing;

namespace Hearth.App.Tests.Hosting;

/// <summary>The seed's rehydration: kill -9 the worker mid-job; another worker resumes from the journal.</summary>
public sealed class RehydrationProcessTests
{
    [Fact]
    public async Task Killing_the_worker_during_step_2_resumes_elsewhere_without_rerunning_step_1()
    {
        var counter = Path.Combine(Path.GetTempPath(), $"hearth-steps-{Guid.NewGuid():N}.txt");
        using var app = AppProcess.Start(AppProcess.Built("samples/Echo", "Echo.dll"), new Dictionary<string, string> { ["HEARTH_LEASE_MS"] = "3000" },
            "dev", "--port", "0", "--data", Path.Combine(Path.GetTempPath(), "hearth-rehydrate-" + Guid.NewGuid().ToString("N")), "--api-key", "k", "--admin-key", "a", "--quiet");
        var address = (await app.WaitForAsync(@"listening on (http://\S+)")).Groups[1].Value;
        await app.WaitForAsync("^Ready in");
        using var client = new HearthClient(new Uri(address + "/v2"), "k");
        using var admin = new HttpClient { BaseAddress = new Uri(address) };
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "a");

        var job = await client.Endpoint("agent").RunAsync(new { counter_file = counter, work_ms = 4000 });
        await Eventually.ValueAsync(async () => File.Exists(counter) && (await File.ReadAllTextAsync(counter)).Contains("work") ? "" : null, "step 2 to start");
        var pid = await Eventually.ValueAsync(async () =>
        {
            var e = JsonDocument.Parse(await admin.GetStringAsync("/api/endpoints/agent")).RootElement;
            return e.GetProperty("workers").EnumerateArray().FirstOrDefault(w => w.GetProperty("state").GetString() == "Running") is { ValueKind: JsonValueKind.Object } w
                ? w.GetProperty("pid").GetInt32().ToString() : null;
        }, "the agent's worker to show as running");
        using (var kill = System.Diagnostics.Process.Start("kill", ["-9", pid]))
        {
            await kill.WaitForExitAsync().Within(TimeSpan.FromSeconds(10), $"kill -9 {pid} to return");
        }

        var result = await client.Endpoint("agent").WaitAsync<JsonElement>(job.Id, TimeSpan.FromSeconds(60));
        Assert.True(result.IsCompleted, $"{result.Status}: {result.Error}");
        Assert.True(result.Output.GetProperty("rehydrated").GetBoolean());
        Assert.Equal(1, result.Output.GetProperty("replayed").GetInt32());
        var executions = (await File.ReadAllLinesAsync(counter)).GroupBy(l => l).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(1, executions["plan"]);   // journaled before the kill: replayed, not run again
        Assert.Equal(2, executions["work"]);   // running when the worker died: runs again (at-least-once)
        Assert.Equal(1, executions["finish"]);
    }
}

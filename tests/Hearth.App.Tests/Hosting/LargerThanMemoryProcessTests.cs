using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Hearth.Server.Tests.Fixtures;
using Hearth.Testing;

namespace Hearth.App.Tests.Hosting;

/// <summary>
/// The default store under more data than its memory, as a user would meet it: <c>hearth dev</c> with a 32 MiB store,
/// four times that in queued payloads while the endpoint's worker never takes a job, <c>kill -9</c>, a restart, and
/// then a real worker that drains them all.
/// </summary>
public sealed class LargerThanMemoryProcessTests
{
    private const string Key = "test-key";
    private const int Jobs = 128;
    private const int InputBytes = 1 << 20; // 128 × 1 MiB = 4× the store's memory

    [Fact]
    public async Task Four_times_the_store_memory_in_queued_jobs_survives_kill_9_and_drains_exactly_once()
    {
        var data = Path.Combine(Path.GetTempPath(), "hearth-large-dev-" + Guid.NewGuid().ToString("N"));
        var idle = Yaml("sleep 600", 0); // a worker that never asks for a job
        var drain = Yaml("python3 -u " + Path.Combine(WorkerProcess.RepoRoot(), "samples", "python-worker", "worker.py"), 1);
        var ids = new List<string>();
        try
        {
            using (var app = Dev(idle, data))
            {
                using var http = await ReadyAsync(app);
                for (var i = 0; i < Jobs; i++)
                {
                    var response = await http.PostAsync("/v2/big/run", Body(i));
                    Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                    ids.Add((string)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["id"]!);
                }

                await AssertAllQueuedAsync(http, ids);
            } // SIGKILL: the control plane, its embedded store and its worker

            using (var again = Dev(idle, data))
            {
                using var http = await ReadyAsync(again);
                await AssertAllQueuedAsync(http, ids);
            }

            using var worker = Dev(drain, data);
            using var client = await ReadyAsync(worker, workers: true);
            await Eventually.ValueAsync(async () =>
            {
                var health = JsonNode.Parse(await client.GetStringAsync("/v2/big/health"))!;
                return (int)health["jobs"]!["completed"]! == Jobs ? health : null;
            }, "every queued job to complete", 240);
            for (var i = 0; i < Jobs; i++)
            {
                var status = JsonNode.Parse(await client.GetStringAsync($"/v2/big/status/{ids[i]}"))!;
                Assert.Equal("COMPLETED", (string?)status["status"]);
                Assert.Equal(Text(i), (string?)status["output"]!["text"]); // the input, kept intact, handed to the worker
            }

            var final = JsonNode.Parse(await client.GetStringAsync("/v2/big/health"))!;
            Assert.Equal(Jobs, (int)final["jobs"]!["completed"]!); // each counted once: none ran twice to completion
            Assert.Equal(0, (int)final["jobs"]!["inQueue"]!);
        }
        finally
        {
            foreach (var path in new[] { idle, drain })
            {
                File.Delete(path);
            }

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

    private static async Task AssertAllQueuedAsync(HttpClient http, List<string> ids)
    {
        Assert.Equal(Jobs, ids.Count);
        foreach (var id in ids)
        {
            var response = await http.GetAsync($"/v2/big/status/{id}");
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"/status of {id}: {(int)response.StatusCode}");
            Assert.Equal("IN_QUEUE", (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["status"]);
        }
    }

    private static string Text(int i) => i.ToString("D4", System.Globalization.CultureInfo.InvariantCulture) + new string((char)('a' + (i % 26)), InputBytes);

    private static StringContent Body(int i) => new("{\"input\":{\"text\":\"" + Text(i) + "\"}}", Encoding.UTF8, "application/json");

    private static string Yaml(string command, int min)
    {
        var path = Path.Combine(Path.GetTempPath(), $"hearth-large-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, $"""
            endpoints:
              - name: big
                cpu: cpu3c-1-2
                workers: [{min}, 1]
                execution_timeout_ms: 60000
                command: {command}
            """);
        return path;
    }

    private static AppProcess Dev(string yaml, string data) =>
        AppProcess.Start(AppProcess.Built("src/Hearth.Cli", "hearth.dll"),
            ["dev", "--config", yaml, "--port", "0", "--data", data, "--store-memory", "32m", "--api-key", Key, "--quiet"]);

    /// <summary>The app's client once it serves; with <paramref name="workers"/>, once its worker is up too (the idle one never is).</summary>
    private static async Task<HttpClient> ReadyAsync(AppProcess app, bool workers = false)
    {
        var address = (await app.WaitForAsync(@"listening on (http://\S+)")).Groups[1].Value;
        if (workers)
        {
            await app.WaitForAsync("^Ready in");
        }

        var http = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromMinutes(2) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Key);
        return http;
    }
}

using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Hearth.Testing;

namespace Hearth.App.Tests.Hosting;

/// <summary>
/// A power cut in the middle of a write, as the embedded store's append-only file shows it afterwards: <c>hearth
/// dev</c> (fsync-always, the default) is killed with <c>kill -9</c> holding queued jobs no worker takes, the file's
/// tail is damaged, and a restart on the same data directory must still hold every acknowledged job, input intact.
/// </summary>
public sealed class TornLogTailTests
{
    private const string Key = "test-key";
    private const int Jobs = 16;

    /// <summary>How the tail is damaged.</summary>
    /// <param name="damage">
    /// <c>garbage-after-last-entry</c>: 300 random bytes written where the next entry would have begun (a torn next
    /// write); <c>garbage-at-file-end</c>: 300 random bytes appended to the file; <c>unacknowledged-cut</c>: the writes
    /// of a later run that no client was told about (worker registration, leases) cut off in their middle.
    /// </param>
    [Theory]
    [InlineData("garbage-after-last-entry")]
    [InlineData("garbage-at-file-end")]
    [InlineData("unacknowledged-cut")]
    public async Task A_torn_log_tail_after_kill_9_keeps_every_acknowledged_job(string damage)
    {
        var data = Path.Combine(Path.GetTempPath(), "hearth-torn-tail-" + Guid.NewGuid().ToString("N"));
        var idle = IdleYaml();
        var ids = new List<string>();
        try
        {
            using (var app = Dev(idle, data))
            {
                var (http, _) = await ReadyAsync(app);
                using (http)
                {
                    for (var i = 0; i < Jobs; i++)
                    {
                        var response = await http.PostAsync("/v2/q/run", Body(i));
                        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                        ids.Add((string)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["id"]!);
                    }
                }
            } // SIGKILL: the control plane, its embedded store and its worker

            var log = LastSegment(data);
            var acknowledgedEnd = LogicalEnd(log);
            if (damage == "unacknowledged-cut")
            {
                // A run that accepts nothing still writes (its worker, the scheduler's lease): the region after the
                // last acknowledged job is then one no client was told about, and a power cut may tear it.
                using (var app = Dev(idle, data))
                {
                    var (http, admin) = await ReadyAsync(app);
                    http.Dispose();
                    admin.Dispose();
                    await app.WaitForAsync("scheduler: this control plane leads now");
                }

                var end = LogicalEnd(log);
                Assert.True(end > acknowledgedEnd,
                    $"the second run wrote nothing to {log} ({end} ≤ {acknowledgedEnd})");
                using var file = new FileStream(log, FileMode.Open, FileAccess.Write);
                file.SetLength(acknowledgedEnd + ((end - acknowledgedEnd) / 2));
            }
            else
            {
                var garbage = new byte[300];
                new Random(damage.Length).NextBytes(garbage);
                using var file = new FileStream(log, FileMode.Open, FileAccess.Write);
                file.Position = damage == "garbage-at-file-end" ? file.Length : acknowledgedEnd;
                file.Write(garbage);
            }

            // Twice: the first restart writes after the damaged tail, the second replays what it wrote.
            for (var restart = 0; restart < 2; restart++)
            {
                using var again = Dev(idle, data);
                var (http, admin) = await ReadyAsync(again);
                using (http)
                using (admin)
                {
                    for (var i = 0; i < Jobs; i++)
                    {
                        // A 503 (the disk slow to confirm a commit under the other tests' load) says "not now",
                        // never "lost": a client retries it after Retry-After, and so does this test, for 30 s.
                        var status = await Eventually.ValueAsync(async () =>
                        {
                            var answer = await http.GetAsync($"/v2/q/status/{ids[i]}");
                            if (answer.StatusCode != HttpStatusCode.ServiceUnavailable)
                            {
                                return answer;
                            }

                            answer.Dispose();
                            return null;
                        }, $"an answer other than 503 for job {i}", 30);

                        Assert.True(status.StatusCode == HttpStatusCode.OK,
                            $"restart {restart + 1} after '{damage}': /status of job {i} ({ids[i]}) answered " +
                            $"{(int)status.StatusCode}: {await status.Content.ReadAsStringAsync()}\n{again.Output}");
                        var state = JsonNode.Parse(await status.Content.ReadAsStringAsync())!["status"];
                        Assert.Equal("IN_QUEUE", (string?)state);
                        var detail = await admin.GetStringAsync($"/api/jobs/{ids[i]}");
                        Assert.Contains(Text(i), detail, StringComparison.Ordinal); // the input, intact
                    }
                }
            }
        }
        finally
        {
            File.Delete(idle);
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

    /// <summary>
    /// The append-only file's segment being written: the highest-numbered <c>aof.log.N</c> that is not empty.
    /// </summary>
    internal static string LastSegment(string data) =>
        new DirectoryInfo(Path.Combine(data, "AOF")).EnumerateFiles("aof.log.*")
            .Where(f => f.Length > 0)
            .OrderByDescending(f => int.Parse(f.Name["aof.log.".Length..], CultureInfo.InvariantCulture))
            .First().FullName;

    /// <summary>
    /// Where the last entry in <paramref name="log"/> ends: the file is zero-filled to a sector boundary after it, and
    /// entries are 4-byte aligned.
    /// </summary>
    private static long LogicalEnd(string log)
    {
        var bytes = File.ReadAllBytes(log);
        var end = bytes.Length;
        while (end > 0 && bytes[end - 1] == 0)
        {
            end--;
        }

        return (end + 3) / 4 * 4;
    }

    private static string Text(int i) => $"torn-tail-job-{i:D3}-" + new string((char)('a' + i), 200);

    private static StringContent Body(int i) =>
        new("{\"input\":{\"text\":\"" + Text(i) + "\"}}", Encoding.UTF8, "application/json");

    internal static string IdleYaml()
    {
        var path = Path.Combine(Path.GetTempPath(), $"hearth-idle-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, """
            endpoints:
              - name: q
                cpu: cpu3c-1-2
                workers: [0, 1]
                execution_timeout_ms: 60000
                command: sleep 600
            """);
        return path;
    }

    internal static AppProcess Dev(string yaml, string data) =>
        AppProcess.Start(AppProcess.Built("src/Hearth.Cli", "hearth.dll"),
            ["dev", "--config", yaml, "--port", "0", "--data", data, "--store-memory", "32m", "--api-key", Key,
                "--quiet"]);

    /// <summary>A client (API key) and an admin client (the admin key dev prints) once the app serves.</summary>
    internal static async Task<(HttpClient Http, HttpClient Admin)> ReadyAsync(AppProcess app)
    {
        var address = new Uri((await app.WaitForAsync(@"listening on (http://\S+)")).Groups[1].Value);
        var adminKey = (await app.WaitForAsync(@"with admin key (ha_\S+)")).Groups[1].Value;
        var http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromMinutes(1) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Key);
        var admin = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromMinutes(1) };
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", adminKey);
        return (http, admin);
    }
}

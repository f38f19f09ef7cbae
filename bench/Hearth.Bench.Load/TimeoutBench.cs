using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;

namespace Hearth.Bench.Load;

/// <summary>
/// Timeout precision: jobs on an endpoint with the smallest execution timeout (5 s) whose handler hangs until cancelled.
/// The deadline is taken as handler start + 5 s (the store's deadline is set at the take, a little earlier, so the
/// lateness is over-, not under-stated). Figures: deadline → <c>/status-sync</c> answers TIMED_OUT; deadline → the
/// handler's CancellationToken fires (the worker is told through <c>job-stop</c> and its slot is free again).
/// Jobs are started 1/8 s apart so they land at different phases of the 1 s sweep.
/// </summary>
internal static class TimeoutBench
{
    private static readonly JsonElement Empty = JsonDocument.Parse("{}").RootElement;

    public static async Task<(LatencyRun TimedOut, LatencyRun WorkerFree)> RunAsync(BenchHost host, int jobs = 8)
    {
        var timeout = Stopwatch.Frequency * Core.Jobs.JobLimits.MinExecutionTimeoutMs / 1000;
        var startedAt = new ConcurrentDictionary<string, long>();
        var freeAt = new ConcurrentDictionary<string, long>();
        var worker = host.Worker(BenchHost.Hang, jobs, async (_, ctx, ct) =>
        {
            startedAt[ctx.Id] = Stopwatch.GetTimestamp();
            try
            {
                await Task.Delay(Timeout.Infinite, ct);
            }
            finally
            {
                freeAt[ctx.Id] = Stopwatch.GetTimestamp();
            }

            return Empty;
        });
        using var stop = new CancellationTokenSource();
        var loop = worker.RunAsync(stop.Token);
        using var client = host.Client(jobs * 2);
        var timedOutAt = new ConcurrentDictionary<string, long>();
        var waits = new List<Task>();
        for (var i = 0; i < jobs; i++)
        {
            using var response = await client.PostAsync($"/v2/{BenchHost.Hang}/run", DispatchBench.Json("{\"input\":{}}"));
            var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
            waits.Add(Task.Run(async () =>
            {
                var status = await client.GetFromJsonAsync<JsonElement>($"/v2/{BenchHost.Hang}/status-sync/{id}?wait=30000");
                timedOutAt[id] = Stopwatch.GetTimestamp();
                if (status.GetProperty("status").GetString() != "TIMED_OUT")
                {
                    throw new InvalidOperationException("expected TIMED_OUT, got " + status);
                }
            }));
            await Task.Delay(125);
        }

        await Task.WhenAll(waits);
        await Task.Delay(500); // the last stop signals reach the handlers
        await stop.CancelAsync();
        await loop;
        worker.Dispose();

        var late = new Latency();
        var free = new Latency();
        foreach (var (id, start) in startedAt)
        {
            late.Record(timedOutAt[id] - (start + timeout));
            if (freeAt.TryGetValue(id, out var f))
            {
                free.Record(f - (start + timeout));
            }
        }

        return (late.Summary(), free.Summary());
    }
}

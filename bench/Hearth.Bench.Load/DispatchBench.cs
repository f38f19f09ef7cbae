using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Hearth.Bench.Load;

/// <summary>
/// Latency of single jobs through a warm SDK worker (concurrency 1, already long-polling):
/// dispatch = just before <c>POST /run</c> → the handler starts; round trip = <c>POST /runsync</c> of a no-op job → answer.
/// </summary>
internal static class DispatchBench
{
    private static readonly JsonElement Empty = JsonDocument.Parse("{}").RootElement;

    public static async Task<(LatencyRun Dispatch, LatencyRun RunSync)> RunAsync(BenchHost host, int warmup, int n)
    {
        TaskCompletionSource<long> started = new(TaskCreationOptions.RunContinuationsAsynchronously);
        var worker = host.Worker(BenchHost.Noop, 1, (_, _, _) =>
        {
            started.TrySetResult(Stopwatch.GetTimestamp());
            return Task.FromResult(Empty);
        });
        using var stop = new CancellationTokenSource();
        var loop = worker.RunAsync(stop.Token);
        using var client = host.Client(1);
        try
        {
            var dispatch = new Latency();
            for (var i = 0; i < warmup + n; i++)
            {
                started = new(TaskCreationOptions.RunContinuationsAsynchronously);
                var t0 = Stopwatch.GetTimestamp();
                using var response = await client.PostAsync($"/v2/{BenchHost.Noop}/run", Json("{\"input\":{}}"));
                response.EnsureSuccessStatusCode();
                var at = await started.Task.WaitAsync(TimeSpan.FromSeconds(30));
                if (i >= warmup)
                {
                    dispatch.Record(at - t0);
                }
            }

            var runSync = new Latency();
            for (var i = 0; i < warmup + n; i++)
            {
                var t0 = Stopwatch.GetTimestamp();
                using var response = await client.PostAsync($"/v2/{BenchHost.Noop}/runsync", Json("{\"input\":{}}"));
                var body = await response.Content.ReadFromJsonAsync<JsonElement>();
                var t1 = Stopwatch.GetTimestamp();
                if (body.GetProperty("status").GetString() != "COMPLETED")
                {
                    throw new InvalidOperationException("runsync answered " + body);
                }

                if (i >= warmup)
                {
                    runSync.Record(t1 - t0);
                }
            }

            return (dispatch.Summary(), runSync.Summary());
        }
        finally
        {
            await stop.CancelAsync();
            await loop;
            worker.Dispose();
        }
    }

    public static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");
}

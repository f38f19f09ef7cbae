using System.Diagnostics;
using System.Text.Json;

namespace Hearth.Bench.Load;

/// <summary>
/// No-op jobs end to end over HTTP, measured like the BullMQ peer: first <c>jobs</c> no-op jobs are submitted through
/// <c>POST /run</c> on 16 connections (the submit rate is a figure of its own), then one C# SDK worker with concurrency C
/// (it takes with <c>job-take-batch</c>, up to C at a time) drains them; jobs/s = jobs / (worker start → the store counts
/// the last one COMPLETED).
/// </summary>
internal static class ThroughputBench
{
    private static readonly JsonElement Empty = JsonDocument.Parse("{}").RootElement;

    public static async Task<double> SubmitAsync(BenchHost host, int jobs, int parallel = 16)
    {
        using var client = host.Client(parallel);
        var next = 0;
        var t0 = Stopwatch.GetTimestamp();
        await Task.WhenAll(Enumerable.Range(0, parallel).Select(async _ =>
        {
            while (Interlocked.Increment(ref next) <= jobs)
            {
                using var response = await client.PostAsync($"/v2/{BenchHost.Noop}/run", DispatchBench.Json("{\"input\":{}}"));
                response.EnsureSuccessStatusCode();
            }
        }));
        return jobs / Stopwatch.GetElapsedTime(t0).TotalSeconds;
    }

    /// <summary><c>POST /runbatch</c> with <paramref name="size"/> jobs per request on <paramref name="parallel"/>
    /// connections; jobs/s.</summary>
    public static async Task<double> SubmitBatchesAsync(BenchHost host, int jobs, int parallel = 16, int size = 100)
    {
        using var client = host.Client(parallel);
        var body = "{\"jobs\":[" + string.Join(",", Enumerable.Repeat("{\"input\":{}}", size)) + "]}";
        var batches = (jobs + size - 1) / size;
        var next = 0;
        var t0 = Stopwatch.GetTimestamp();
        await Task.WhenAll(Enumerable.Range(0, parallel).Select(async _ =>
        {
            while (Interlocked.Increment(ref next) <= batches)
            {
                using var response = await client.PostAsync($"/v2/{BenchHost.Noop}/runbatch", DispatchBench.Json(body));
                response.EnsureSuccessStatusCode();
            }
        }));
        return batches * size / Stopwatch.GetElapsedTime(t0).TotalSeconds;
    }

    /// <summary>
    /// Submits and drains <paramref name="jobs"/> jobs, not recorded: the runtime compiles the hot paths at its higher
    /// tiers during the first seconds of a process, which a long-running control plane has long done (issue 21 measured
    /// the JIT at 17 % of the CPU in a drain right after a 300-job warm-up).
    /// </summary>
    public static async Task WarmUpAsync(BenchHost host, int jobs)
    {
        await SubmitAsync(host, jobs);
        await DrainAsync(host, jobs, 16);
    }

    public static async Task<double> DrainAsync(BenchHost host, int jobs, int concurrency)
    {
        var target = await host.CompletedAsync(BenchHost.Noop) + jobs;
        var handled = 0;
        var allStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var worker = host.Worker(BenchHost.Noop, concurrency, (_, _, _) =>
        {
            if (Interlocked.Increment(ref handled) == jobs)
            {
                allStarted.TrySetResult();
            }

            return Task.FromResult(Empty);
        });
        using var stop = new CancellationTokenSource();
        var t0 = Stopwatch.GetTimestamp();
        var loop = worker.RunAsync(stop.Token);
        try
        {
            await allStarted.Task.WaitAsync(TimeSpan.FromMinutes(2));
            while (await host.CompletedAsync(BenchHost.Noop) < target)
            {
                await Task.Delay(1);
            }

            return jobs / Stopwatch.GetElapsedTime(t0).TotalSeconds;
        }
        finally
        {
            await stop.CancelAsync();
            await loop;
            worker.Dispose();
        }
    }
}

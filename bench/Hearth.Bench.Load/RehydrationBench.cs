using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Hearth.Bench.Load;

/// <summary>
/// Rehydration: worker A (raw protocol) takes a session's job, journals step "one", then goes silent as if killed -9
/// (no heartbeat, no result). Worker B (the C# SDK, already long-polling) gets the job once A's lease has lapsed and
/// the sweep requeued it, replays "one" from the journal, runs "two" and finishes. Figures: A silent → B's handler
/// resumes; A silent → COMPLETED. The host runs with the 1 s minimum lease (default 30 s). Expected: one lease plus
/// the sweep's phase (the sweep requeues the job and unbinds A's session).
/// </summary>
internal static class RehydrationBench
{
    public static async Task<(LatencyRun Resumed, LatencyRun Completed)> RunAsync(BenchHost host, TimeSpan lease, int samples)
    {
        var resumed = new Latency();
        var completed = new Latency();
        using var client = host.Client(2);
        using var a = new HttpClient { BaseAddress = host.Address, Timeout = TimeSpan.FromSeconds(60) };
        a.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(BenchHost.WorkerToken);
        for (var s = 0; s < samples; s++)
        {
            var session = "s-" + Guid.NewGuid().ToString("N");
            using var submit = await client.PostAsync($"/v2/{BenchHost.Sessions}/run",
                DispatchBench.Json($"{{\"input\":{{}},\"session_id\":\"{session}\"}}"));
            var id = (await submit.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
            var workerA = "a-" + session;
            using (var take = await a.GetAsync($"/v2/{BenchHost.Sessions}/job-take/{workerA}"))
            {
                var job = await take.Content.ReadFromJsonAsync<JsonElement>();
                if (job.GetProperty("id").GetString() != id)
                {
                    throw new InvalidOperationException("worker A took another job: " + job);
                }
            }

            using (var step = await a.PostAsync($"/v2/{BenchHost.Sessions}/session-step/{workerA}/{id}?key=one", DispatchBench.Json("1")))
            {
                step.EnsureSuccessStatusCode();
            }

            var resumedAt = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
            var ranOneAgain = false;
            var worker = host.Worker(BenchHost.Sessions, 1, async (_, ctx, ct) =>
            {
                var at = Stopwatch.GetTimestamp();
                await ctx.StepAsync("one", _ => { ranOneAgain = true; return Task.FromResult(1); }, cancellationToken: ct);
                resumedAt.TrySetResult(at);
                await ctx.StepAsync("two", _ => Task.FromResult(2), cancellationToken: ct);
                return JsonDocument.Parse("{}").RootElement;
            }, id: "b-" + session, lease: lease);
            var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            worker.Ready += (_, _) => ready.TrySetResult();
            using var stop = new CancellationTokenSource();
            var loop = worker.RunAsync(stop.Token);
            await ready.Task;
            var killed = Stopwatch.GetTimestamp();
            var final = await client.GetFromJsonAsync<JsonElement>($"/v2/{BenchHost.Sessions}/status-sync/{id}?wait=60000");
            var done = Stopwatch.GetTimestamp();
            await stop.CancelAsync();
            await loop;
            worker.Dispose();
            if (final.GetProperty("status").GetString() != "COMPLETED" || ranOneAgain)
            {
                throw new InvalidOperationException($"rehydration failed (step one ran again: {ranOneAgain}): {final}");
            }

            resumed.Record(await resumedAt.Task - killed);
            completed.Record(done - killed);
        }

        return (resumed.Summary(), completed.Summary());
    }
}

using System.Diagnostics;
using System.Text.Json;
using Hearth.Worker;

namespace Hearth.Bench.Load;

/// <summary>
/// The multi-worker drain: N worker processes (this program with <c>--worker-process</c>, each one C# SDK worker with
/// concurrency C) drain jobs queued first. Each process starts, builds its worker and says "ready" before the clock
/// starts, so process start-up is not counted; then all are told "go" on stdin at once; jobs/s = jobs / ("go" → the
/// store counts the last one COMPLETED).
/// </summary>
internal static class WorkerProcesses
{
    private static readonly JsonElement Empty = JsonDocument.Parse("{}").RootElement;

    /// <summary>Worker-process mode: runs one SDK worker for the endpoint once "go" arrives, until stdin closes.</summary>
    public static async Task<int> RunWorkerAsync(Uri controlPlane, string endpoint, int concurrency, string id)
    {
        using var worker = new HearthWorker(JobHandler.Create<JsonElement, JsonElement>((_, _, _) => Task.FromResult(Empty)),
            new WorkerOptions
        {
            JobTakeUrl = $"{controlPlane}v2/{endpoint}/job-take/$ID",
            JobDoneUrl = $"{controlPlane}v2/{endpoint}/job-done/$RUNPOD_POD_ID/$ID",
            PingUrl = $"{controlPlane}v2/{endpoint}/ping/$RUNPOD_POD_ID",
            ApiKey = BenchHost.WorkerToken,
            Concurrency = concurrency,
            DrainWindow = TimeSpan.FromSeconds(1),
            WorkerId = id,
        });
        Console.WriteLine("ready");
        if (await Console.In.ReadLineAsync() != "go")
        {
            return 1;
        }

        using var stop = new CancellationTokenSource();
        var loop = worker.RunAsync(stop.Token);
        await Console.In.ReadLineAsync(); // stdin closes when the bench is done
        await stop.CancelAsync();
        await loop;
        return 0;
    }

    public static async Task<double> DrainAsync(BenchHost host, int jobs, int processes, int concurrency)
    {
        var target = await host.CompletedAsync(BenchHost.Noop) + jobs;
        var self = Environment.ProcessPath!;
        var dll = typeof(WorkerProcesses).Assembly.Location;
        var started = new List<Process>();
        try
        {
            for (var i = 0; i < processes; i++)
            {
                var info = new ProcessStartInfo(self)
                {
                    RedirectStandardInput = true,
                    RedirectStandardOutput = true,
                    UseShellExecute = false,
                };
                if (Path.GetFileNameWithoutExtension(self) == "dotnet")
                {
                    info.ArgumentList.Add(dll);
                }

                foreach (var a in new[] { "--worker-process", host.Address.ToString(), "--endpoint", BenchHost.Noop,
                    "--concurrency", concurrency.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    "--id", $"bench-w{i}" })
                {
                    info.ArgumentList.Add(a);
                }

                started.Add(Process.Start(info)!);
            }

            foreach (var p in started)
            {
                if (await p.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60)) != "ready")
                {
                    throw new InvalidOperationException("A bench worker process did not start.");
                }
            }

            var t0 = Stopwatch.GetTimestamp();
            foreach (var p in started)
            {
                await p.StandardInput.WriteLineAsync("go");
                await p.StandardInput.FlushAsync();
            }

            using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            while (await host.CompletedAsync(BenchHost.Noop) < target)
            {
                await Task.Delay(1, limit.Token);
            }

            return jobs / Stopwatch.GetElapsedTime(t0).TotalSeconds;
        }
        finally
        {
            foreach (var p in started)
            {
                p.StandardInput.Close();
            }

            foreach (var p in started)
            {
                if (!p.WaitForExit(10_000))
                {
                    p.Kill();
                }

                p.Dispose();
            }
        }
    }
}

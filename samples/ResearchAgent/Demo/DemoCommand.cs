using System.Text.Json;
using Hearth.App;
using Hearth.App.Hosting;
using Hearth.Client;
using Hearth.Core.Jobs;
using ResearchAgent.Web;
using Spectre.Console;

namespace ResearchAgent.Demo;

/// <summary>
/// The one-command demo: the offline web and the dev runtime (control plane on the embedded store + workers) in this
/// process, one research job, its steps live, then the answer with citations, a per-step timing table and the
/// dashboard address. <c>--stay</c> keeps it up; <c>--chaos</c> kills the orchestrator worker during synthesis.
/// </summary>
internal static class DemoCommand
{
    /// <summary>Chaos runs use a 3 s lease so the killed worker's job is requeued quickly (unless HEARTH_LEASE_MS says otherwise).</summary>
    private static readonly TimeSpan ChaosLease = TimeSpan.FromSeconds(3);

    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    public static async Task<int> RunAsync(HearthApp app, DemoOptions options, CancellationToken cancellationToken)
    {
        var time = TimeProvider.System;
        var started = time.GetTimestamp();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            stop.Cancel();
        };

        var data = options.Data ?? Path.Combine(Path.GetTempPath(), "hearth-research-" + Guid.NewGuid().ToString("N")[..8]);
        var view = new DemoView(options);
        try
        {
            await using var web = await OfflineWeb.StartAsync(time, stop.Token).ConfigureAwait(false);
            Environment.SetEnvironmentVariable(ResearchSettings.WebUrlVariable, web.Address);
            var log = new LineLog();
            var settings = new AppSettings { Port = options.Port, Data = data, Quiet = true }
                .WithEnvironmentKnobs(Environment.GetEnvironmentVariable);
            if (options.Chaos && settings.Lease is null)
            {
                settings = settings with { Lease = ChaosLease };
            }

            // The job goes in as soon as the control plane listens, before any worker starts: a serverless runtime
            // queues work during a cold start, and the job's trace shows that start as its queue wait.
            HearthClient? client = null;
            JobHandle? queued = null;
            var pipelineStarted = 0L;
            var submitted = TimeSpan.Zero;
            await using var runtime = await app.StartDevAsync(settings, log, async (address, apiKey) =>
            {
                client = new HearthClient(new Uri(address + "/v2"), apiKey);
                pipelineStarted = time.GetTimestamp();
                queued = await client.Endpoint(ResearchEndpoints.Orchestrator).RunAsync(new ResearchRequest(options.Question, options.Chaos), cancellationToken: stop.Token).ConfigureAwait(false);
                submitted = time.GetElapsedTime(started);
            }, stop.Token).ConfigureAwait(false);
            using var owned = client;
            var job = queued ?? throw new InvalidOperationException("the research job was not queued");
            view.Header(runtime, web);
            using var chaos = new Chaos(runtime.Address, runtime.AdminKey);
            AnsiConsole.MarkupLine($"[grey]job {Markup.Escape(job.Id)} queued at {submitted.TotalSeconds:0.0} s, while the workers start[/]");

            await view.WarmingAsync(runtime.Ready, log, stop.Token).ConfigureAwait(false);
            var ready = time.GetElapsedTime(started);
            string? killed = null;
            var result = await view.FollowAsync(async () =>
            {
                var status = await client!.Endpoint(ResearchEndpoints.Orchestrator).StatusAsync<JsonElement>(job.Id, stop.Token).ConfigureAwait(false);
                var progress = status.Status == JobStatus.InProgress && status.Output.ValueKind == JsonValueKind.Object
                    ? status.Output.Deserialize<ResearchProgress>(JsonSerializerOptions.Web) : null;
                if (options.Chaos && killed is null && progress is { Attempt: 1 } && progress.Steps.Any(s => s is { Name: "synthesize", State: "running" }))
                {
                    killed = await chaos.KillRunningOrchestratorAsync(stop.Token).ConfigureAwait(false);
                    if (killed is not null)
                    {
                        view.Event($"chaos: killed orchestrator worker {killed} during synthesis; its lease runs out, the job is requeued and another worker rehydrates from the journal");
                    }
                }

                return (status, progress);
            }, PollInterval, time, stop.Token).ConfigureAwait(false);

            if (!result.IsCompleted)
            {
                view.Failure(result.Status, result.Error);
                return 1;
            }

            var answer = result.Output.Deserialize<ResearchAnswer>(JsonSerializerOptions.Web)!;
            var report = new DemoReport(answer, job.Id, runtime.Address, submitted.TotalSeconds, ready.TotalSeconds, time.GetElapsedTime(pipelineStarted).TotalSeconds, time.GetElapsedTime(started).TotalSeconds, killed);
            view.Answer(report, runtime.AdminKey);
            // The whole run as one trace: the fan-out across three endpoints, the stuck page, each step.
            await runtime.WriteTraceAsync(job.Id, Console.Out, TimeSpan.FromSeconds(3), stop.Token).ConfigureAwait(false);
            if (options.Out is { } path)
            {
                await File.WriteAllTextAsync(path, JsonSerializer.Serialize(report, JsonSerializerOptions.Web), stop.Token).ConfigureAwait(false);
            }

            if (options.Stay)
            {
                AnsiConsole.MarkupLine($"[green]--stay:[/] the runtime stays up at {runtime.Address} (API key {Markup.Escape(runtime.ApiKey)}). Ctrl-C stops everything.");
                AnsiConsole.MarkupLine($"  dashboard (one-time sign-in link): {Markup.Escape(runtime.NewDashboardLink())}");
                await Task.Delay(Timeout.InfiniteTimeSpan, time, stop.Token).ConfigureAwait(false);
            }

            return 0;
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            AnsiConsole.WriteLine("Stopping: draining workers…");
            return options.Stay ? 0 : 130;
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or HearthApiException or HttpRequestException)
        {
            AnsiConsole.MarkupLine($"[red]research agent:[/] {Markup.Escape(e.Message)}");
            return 2;
        }
        finally
        {
            if (options.Data is null && !options.Stay)
            {
                TryDelete(data);
            }
        }
    }

    private static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // A worker still closing its files: the temp folder is cleaned by the OS eventually.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}

using System.Diagnostics;
using Hearth.App.Endpoints;
using Hearth.App.Gpus;
using Hearth.Core.Endpoints;
using Hearth.Store;
using Microsoft.Extensions.Options;

namespace Hearth.App.Hosting;

/// <summary><c>dev</c>: control plane + workers on this machine, stopped together.</summary>
internal static class DevCommand
{
    public static async Task<int> RunAsync(AppSettings settings, IReadOnlyList<EndpointRegistration> code, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var (endpoints, problems) = EndpointSet.Resolve(code, settings.Config, needWorkers: true);
        if (problems.Count > 0)
        {
            return await ReportAsync(problems).ConfigureAwait(false);
        }

        var (placement, notice, gpuProblems) = await GpuSetup.BuildAsync(settings, [.. endpoints.Select(e => e.Spec)], cancellationToken).ConfigureAwait(false);
        if (gpuProblems.Count > 0)
        {
            return await ReportAsync(gpuProblems).ConfigureAwait(false);
        }

        using var signal = new ShutdownSignal(cancellationToken);
        var apiKey = settings.ApiKey ?? AppSettings.NewKey("hk_");
        ControlPlane plane;
        try
        {
            plane = await ControlPlane.StartAsync(settings, [.. endpoints.Select(e => e.Spec)], apiKey, signal.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is StoreConfigurationException or OptionsValidationException)
        {
            await Console.Error.WriteLineAsync($"hearth dev: {e.Message}").ConfigureAwait(false);
            return 2;
        }

        await using (plane.ConfigureAwait(false))
        {
            Banner.Print(Console.Out, "dev", plane, settings, endpoints.Select(e => e.Spec).ToList());
            if (notice is not null)
            {
                Console.WriteLine(notice);
            }
            var supervisor = await DevSupervisor.StartAsync(plane, endpoints, new Volumes(settings.Data), placement!, Console.Out, settings.Quiet, signal.Token).ConfigureAwait(false);
            await using (supervisor.ConfigureAwait(false))
            {
                try
                {
                    await supervisor.AllReady.WaitAsync(signal.Token).ConfigureAwait(false);
                    Console.WriteLine($"Ready in {Stopwatch.GetElapsedTime(started).TotalMilliseconds:0} ms. Ctrl-C stops everything.");
                    Banner.PrintTry(Console.Out, plane, settings, endpoints[0].Spec.Name);
                    await Task.Delay(Timeout.InfiniteTimeSpan, TimeProvider.System, signal.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (signal.Token.IsCancellationRequested)
                {
                    Console.WriteLine("Stopping: draining workers…");
                }
            }
        }

        Console.WriteLine("Stopped.");
        return 0;
    }

    public static async Task<int> ReportAsync(IReadOnlyList<SpecProblem> problems)
    {
        await Console.Error.WriteLineAsync($"{problems.Count} problem(s) in the endpoint definitions:").ConfigureAwait(false);
        foreach (var problem in problems)
        {
            await Console.Error.WriteLineAsync($"  {problem}").ConfigureAwait(false);
        }

        return 2;
    }
}

using System.Diagnostics;
using Hearth.App.Endpoints;
using Hearth.Core.Endpoints;
using Hearth.Worker;

namespace Hearth.App.Hosting;

/// <summary><c>dev</c>: control plane + workers on this machine (a <see cref="DevRuntime"/>), stopped
/// together.</summary>
internal static class DevCommand
{
    public static async Task<int> RunAsync(
        AppSettings settings, IReadOnlyList<EndpointRegistration> code, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        using var signal = new ShutdownSignal(cancellationToken);
        DevRuntime runtime;
        try
        {
            runtime = await DevRuntime.StartAsync(code, settings, Console.Out, signal.Token, (plane, specs, notice) =>
            {
                var secrets = new Secrets(settings.SecretsFile);
                Banner.Print(Console.Out, "dev", plane, settings, specs, secrets);
                if (secrets.Flush() is { } problem)
                {
                    Console.Error.WriteLine(problem);
                }

                if (notice is not null)
                {
                    Console.WriteLine(notice);
                }
            }).ConfigureAwait(false);
        }
        catch (DevStartException e)
        {
            await Console.Error.WriteLineAsync(e.Message).ConfigureAwait(false);
            return 2;
        }

        await using (runtime.ConfigureAwait(false))
        {
            try
            {
                await runtime.Ready.WaitAsync(signal.Token).ConfigureAwait(false);
                Console.WriteLine(
                    $"Ready in {Stopwatch.GetElapsedTime(started).TotalMilliseconds:0} ms. Ctrl-C stops everything.");
                Banner.PrintTry(Console.Out, runtime.Plane, settings, runtime.Specs[0].Name);
                await Task.Delay(Timeout.InfiniteTimeSpan, TimeProvider.System, signal.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (signal.Token.IsCancellationRequested)
            {
                Console.WriteLine("Stopping: draining workers…");
            }
        }

        Console.WriteLine("Stopped.");
        return 0;
    }

    public static async Task<int> ReportAsync(IReadOnlyList<SpecProblem> problems)
    {
        await Console.Error.WriteLineAsync($"{problems.Count} problem(s) in the endpoint definitions:")
            .ConfigureAwait(false);
        foreach (var problem in problems)
        {
            await Console.Error.WriteLineAsync($"  {problem}").ConfigureAwait(false);
        }

        return 2;
    }
}

using Hearth.App.Endpoints;
using Hearth.Core.Endpoints;
using Hearth.Store;
using Microsoft.Extensions.Options;

namespace Hearth.App.Hosting;

/// <summary><c>serve</c>: the control plane alone.</summary>
internal static class ServeCommand
{
    public static async Task<int> RunAsync(AppSettings settings, IReadOnlyList<EndpointRegistration> code, string[] extra, CancellationToken cancellationToken)
    {
        var (endpoints, problems) = EndpointSet.Resolve(code, settings.Config, needWorkers: false);
        var specs = endpoints.Select(e => e.Spec).ToList();
        foreach (var e in extra)
        {
            var parts = e.Split(':', 2);
            specs.Add(new EndpointSpec { Name = parts[0], ExecutionTimeoutMs = parts.Length == 2 && long.TryParse(parts[1], out var ms) ? ms : null });
        }

        problems = [.. problems.Where(p => !(p.Path == "endpoints" && specs.Count > 0)), .. EndpointSpecValidator.Validate(specs.Skip(endpoints.Count).ToList(), "--endpoint")];
        if (problems.Count > 0)
        {
            return await DevCommand.ReportAsync(problems).ConfigureAwait(false);
        }

        using var signal = new ShutdownSignal(cancellationToken);
        try
        {
            var plane = await ControlPlane.StartAsync(settings, specs, settings.ApiKey ?? AppSettings.NewKey("hk_"), signal.Token).ConfigureAwait(false);
            await using (plane.ConfigureAwait(false))
            {
                Banner.Print(Console.Out, "serve", plane, settings, specs);
                if (settings.WorkerToken is null)
                {
                    foreach (var (name, token) in plane.WorkerTokens)
                    {
                        Console.WriteLine($"  worker token for {name}: {token}");
                    }
                }

                Banner.PrintTry(Console.Out, plane, settings, specs[0].Name);
                try
                {
                    await Task.Delay(Timeout.InfiniteTimeSpan, TimeProvider.System, signal.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    Console.WriteLine("Stopping.");
                }
            }
        }
        catch (Exception e) when (e is StoreConfigurationException or OptionsValidationException)
        {
            await Console.Error.WriteLineAsync($"hearth serve: {e.Message}").ConfigureAwait(false);
            return 2;
        }

        return 0;
    }
}

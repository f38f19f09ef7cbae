using Hearth.App.Endpoints;
using Hearth.Server.Nodes;
using Hearth.Server.Scheduling;
using Hearth.Store.Nodes;
using Hearth.Worker;
using Microsoft.Extensions.DependencyInjection;
using Hearth.Core.Endpoints;
using Hearth.Store;
using Hearth.Server.Jobs;
using Microsoft.Extensions.Options;

namespace Hearth.App.Hosting;

/// <summary><c>serve</c>: the control plane alone.</summary>
internal static class ServeCommand
{
    public static async Task<int> RunAsync(AppSettings settings, IReadOnlyList<EndpointRegistration> code,
        string[] extra, CancellationToken cancellationToken)
    {
        var (endpoints, problems) = EndpointSet.Resolve(code, settings.Config, needWorkers: false);
        var specs = endpoints.Select(e => e.Spec).ToList();
        foreach (var e in extra)
        {
            var parts = e.Split(':', 2);
            specs.Add(new EndpointSpec { Name = parts[0],
                ExecutionTimeoutMs = parts.Length == 2 && long.TryParse(parts[1], out var ms) ? ms : null });
        }

        problems = [.. problems.Where(p => !(p.Path == "endpoints" && specs.Count > 0)),
            .. EndpointSpecValidator.Validate(specs.Skip(endpoints.Count).ToList(), "--endpoint")];
        if (problems.Count > 0)
        {
            return await DevCommand.ReportAsync(problems).ConfigureAwait(false);
        }

        using var signal = new ShutdownSignal(cancellationToken);
        try
        {
            var nodeToken = settings.NodeToken ?? AppSettings.NewKey("hn_");
            var plane = await ControlPlane.StartAsync(
                settings with { NodeToken = nodeToken, RateLimits = settings.RateLimits ?? "runpod" }, specs,
                settings.ApiKey ?? AppSettings.NewKey("hk_"), signal.Token).ConfigureAwait(false);
            await using (plane.ConfigureAwait(false))
            {
                // Workers of definitions this process can start (a command:, or a handler in this app) go onto nodes.
                var services = plane.Services;
                var provider = new NodeAgentProvider(services.GetRequiredService<NodeRegistry>(),
                    plane.Options.NodeLostAfter, new ConsoleLines<NodeAgentProvider>(Console.Out));
                using var scheduler = new Scheduler(
                    [.. endpoints.Where(e => e.Spec.Command is not null || e.WorkingDirectory is null)], provider,
                    plane.Store, plane.Signals, services.GetRequiredService<ClusterLeadership>(),
                    new SchedulerOptions
                    {
                        Owner = $"serve-{plane.Options.ReplicaId}",
                        UnseenLimit = plane.Options.Lease * 2,
                        Expand = EnvReferences.Expand,
                    },
                    services.GetRequiredService<TimeProvider>(), new ConsoleLines<Scheduler>(Console.Out),
                    plane.Metrics,
                    services.GetRequiredService<EndpointBoard>(), services.GetRequiredService<JobService>(),
                    services.GetRequiredService<ProtocolDetector>());
                plane.UseWorkerDirectory(scheduler);
                await scheduler.StartAsync(signal.Token).ConfigureAwait(false);
                var secrets = new Secrets(settings.SecretsFile);
                Banner.Print(Console.Out, "serve", plane, settings, specs, secrets);
                if (settings.WorkerToken is null)
                {
                    foreach (var (name, token) in plane.WorkerTokens)
                    {
                        Console.WriteLine(
                            $"  worker token for {name}: {secrets.Show(Secrets.WorkerTokenVariable(name), token)}");
                    }
                }

                if (settings.NodeToken is null)
                {
                    Console.WriteLine($"  node token: {secrets.Show("HEARTH_NODE_TOKEN", nodeToken)}");
                }

                if (secrets.Flush() is { } problem)
                {
                    await Console.Error.WriteLineAsync($"hearth serve: {problem}").ConfigureAwait(false);
                    return 2;
                }

                Console.WriteLine($"  node agents: hearth node --server {plane.Address} --token <node token> (lost "
                    + $"after {plane.Options.NodeLostAfter.TotalSeconds:0.#} s without a heartbeat)");
                Banner.PrintTry(Console.Out, plane, settings, specs[0].Name);
                try
                {
                    await Task.Delay(Timeout.InfiniteTimeSpan, TimeProvider.System, signal.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    Console.WriteLine("Stopping.");
                }

                await scheduler.StopAsync(CancellationToken.None).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is StoreConfigurationException or OptionsValidationException
            or StartupProblemException)
        {
            await Console.Error.WriteLineAsync($"hearth serve: {e.Message}").ConfigureAwait(false);
            return 2;
        }

        return 0;
    }
}

using Hearth.Server.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Hearth.Worker.Tests;

/// <summary>
/// <c>services.AddHearthWorker(...)</c>: a worker hosted in any .NET app, started and drained by the host.
/// </summary>
public sealed class HostedWorkerTests(GarnetStoreFixture store) : IClassFixture<GarnetStoreFixture>
{
    [Fact]
    public async Task A_generic_host_runs_the_worker_it_was_given_and_stops_it_with_the_host()
    {
        await using var h = await WorkerHarness.StartAsync(store);
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddHearthWorker(
            JobHandler.Create<Greeting, Reply>((g, ctx, _) =>
                Task.FromResult(new Reply($"hosted {g.Name} on {ctx.WorkerId}"))),
            _ => h.Options("hosted-worker"));
        using var host = builder.Build();
        await host.StartAsync();

        var id = await h.Server.RunAsync(h.Endpoint, """{"input":{"name":"ada"}}""");
        var done = await h.Server.WaitForAsync(h.Endpoint, id, s => (string?)s["status"] == "COMPLETED");
        Assert.Equal("hosted ada on hosted-worker", (string?)done["output"]!["text"]);

        await host.StopAsync().WaitAsync(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public void Options_with_problems_are_refused_when_the_worker_is_built_with_every_problem_named()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddHearthWorker(
            JobHandler.Create<Greeting, Reply>((g, _, _) => Task.FromResult(new Reply(g.Name))),
            _ => WorkerOptions.FromEnvironment(new Dictionary<string, string?>()));
        using var host = builder.Build();
        var e = Assert.Throws<InvalidOperationException>(() => host.Services.GetServices<IHostedService>().ToList());
        Assert.StartsWith("The worker cannot start:", e.Message, StringComparison.Ordinal);
    }
}

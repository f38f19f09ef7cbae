using Hearth.Core.Endpoints;
using Hearth.Scaling.Gpus;
using Hearth.Server.Jobs;
using Hearth.Server.Nodes;
using Hearth.Server.Scheduling;
using Hearth.Server.Tests.Fixtures;
using Hearth.Store.Nodes;
using Hearth.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Hearth.App.Tests.Cluster;

/// <summary>The scheduler over node agents' declared inventories, on a real (embedded Garnet) store.</summary>
public sealed class NodePlacementTests(GarnetStoreFixture store) : IClassFixture<GarnetStoreFixture>
{
    [Fact]
    public async Task GPU_workers_go_to_the_node_whose_cards_fit_CPU_workers_spread_and_a_silent_node_loses_its_workers()
    {
        var registry = new NodeRegistry(store.Host.Connection);
        var now = () => TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds();
        var small = $"small-{Guid.NewGuid():N}"[..14];
        var big = $"big-{Guid.NewGuid():N}"[..12];
        await registry.HeartbeatAsync(LocalInventory.Build(DeclaredGpus.Parse("NVIDIA GeForce RTX 4090:1"), null, small), now());
        await registry.HeartbeatAsync(LocalInventory.Build(DeclaredGpus.Parse("NVIDIA A100 80GB PCIe:2"), null, big), now());
        var gpu = new EndpointSpec { Name = GarnetStoreFixture.UniqueEndpoint("llm"), Gpu = ["NVIDIA A100 80GB PCIe"], WorkersMin = 2, WorkersMax = 2, Command = "true" };
        var cpu = new EndpointSpec { Name = GarnetStoreFixture.UniqueEndpoint("tool"), Cpu = "cpu3c-1-2", WorkersMin = 2, WorkersMax = 2, Command = "true" };
        var leadership = new ClusterLeadership();
        var provider = new NodeAgentProvider(registry, TimeSpan.FromSeconds(3), NullLogger<NodeAgentProvider>.Instance);
        var options = new SchedulerOptions { Owner = $"test-{Guid.NewGuid():N}", UnseenLimit = TimeSpan.FromSeconds(60) };
        using var scheduler = new Scheduler([new ScheduledEndpoint(gpu, null), new ScheduledEndpoint(cpu, null)],
            provider, store.Host.Store, new JobSignals(), leadership, options, TimeProvider.System,
            NullLogger<Scheduler>.Instance);
        await scheduler.StartAsync(CancellationToken.None);
        try
        {
            var placed = await Eventually.ValueAsync(async () =>
            {
                var all = (await registry.AssignmentsAsync()).Workers.Where(a => a.Endpoint == gpu.Name || a.Endpoint == cpu.Name).ToList();
                return all.Count == 4 ? all : null;
            }, "four workers placed", 30);
            Assert.True(leadership.Epoch > 0);

            // Both A100s of the big node, one each (whole cards: no model declared); the 4090 node has none.
            var gpuWorkers = placed.Where(a => a.Endpoint == gpu.Name).ToList();
            Assert.All(gpuWorkers, a => Assert.Equal(big, a.Node));
            Assert.Equal([0, 1], gpuWorkers.SelectMany(a => a.GpuIndexes).Order());
            Assert.All(gpuWorkers, a => Assert.Equal(a.GpuIndexes[0].ToString(System.Globalization.CultureInfo.InvariantCulture), a.Environment["CUDA_VISIBLE_DEVICES"]));

            // CPU workers go to the least loaded nodes: the small node gets at least one.
            Assert.Contains(placed, a => a.Endpoint == cpu.Name && a.Node == small);

            // The big node stops heartbeating (the small one keeps on): it is marked lost and its workers dropped;
            // the A100 workers cannot be placed anywhere else.
            var beat = Task.Run(async () =>
            {
                for (var i = 0; i < 80; i++)
                {
                    await registry.HeartbeatAsync(LocalInventory.Build(DeclaredGpus.Parse("NVIDIA GeForce RTX 4090:1"), null, small), now());
                    await Task.Delay(100);
                }
            });
            await Eventually.ValueAsync(async () => (await registry.ListAsync()).Single(n => n.Name == big).Lost ? "lost" : null, "the silent node to be marked lost", 30);
            var after = (await registry.AssignmentsAsync()).Workers.Where(a => a.Endpoint == gpu.Name || a.Endpoint == cpu.Name).ToList();
            Assert.DoesNotContain(after, a => a.Node == big);
            await beat.Within(TimeSpan.FromSeconds(60), "the small node's 80 heartbeats to be sent");
        }
        finally
        {
            await scheduler.StopAsync(CancellationToken.None);
        }
    }
}

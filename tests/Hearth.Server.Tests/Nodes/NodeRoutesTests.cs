using System.Net;
using Hearth.Server.Hosting;
using Hearth.Server.Tests.Fixtures;
using Hearth.Store.Nodes;
using Microsoft.Extensions.DependencyInjection;

namespace Hearth.Server.Tests.Nodes;

/// <summary>The node API: node tokens are a kind of their own; a heartbeat registers, answers the node's workers, and takes exit reports.</summary>
public sealed class NodeRoutesTests(GarnetStoreFixture store) : IClassFixture<GarnetStoreFixture>
{
    private const string NodeToken = "hn_test_node";

    private const string Beat = """{"inventory":{"nodeId":"ignored","datacenter":null,"cpuCores":4,"memoryBytes":8589934592,"gpus":[]},"running":[],"exits":[]}""";

    private Task<TestServer> StartAsync(string ep) => TestServer.StartAsync(store.Host, o =>
    {
        o.Endpoints.Add(new EndpointOptions { Name = ep });
        o.NodeTokens.Add(NodeToken);
    });

    [Fact]
    public async Task Node_tokens_only_serve_the_node_routes_and_other_keys_cannot_use_them()
    {
        var ep = GarnetStoreFixture.UniqueEndpoint("nodes");
        await using var server = await StartAsync(ep);
        using var node = server.Http(NodeToken);
        var refused = await node.PostAsync($"/v2/{ep}/run", TestServer.Json("""{"input":1}"""));
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        var error = await TestServer.ReadAsync(refused);
        Assert.NotNull(error["hint"]);
        Assert.Equal(HttpStatusCode.Forbidden, (await node.GetAsync($"/v2/{ep}/job-take/w")).StatusCode);

        foreach (var key in new[] { TestServer.ClientKey, TestServer.WorkerToken, TestServer.AdminKey })
        {
            using var other = server.Http(key);
            var answer = await other.PostAsync("/api/nodes/n1/heartbeat", TestServer.Json(Beat));
            Assert.Equal(HttpStatusCode.Forbidden, answer.StatusCode);
            Assert.NotNull((await TestServer.ReadAsync(answer))["error"]);
        }

        using var anonymous = server.Http(null);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsync("/api/nodes/n1/heartbeat", TestServer.Json(Beat))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await node.PostAsync("/api/nodes/n1/heartbeat", TestServer.Json("{"))).StatusCode);
        var badVersion = await node.GetAsync("/api/nodes/n1/workers?version=abc");
        Assert.Equal(HttpStatusCode.BadRequest, badVersion.StatusCode);
        Assert.NotNull((await TestServer.ReadAsync(badVersion))["hint"]);
        Assert.Equal(HttpStatusCode.OK, (await node.GetAsync("/api/nodes/n1/workers")).StatusCode);
    }

    [Fact]
    public async Task A_heartbeat_registers_the_node_answers_its_workers_with_their_token_and_takes_exits()
    {
        var ep = GarnetStoreFixture.UniqueEndpoint("nodes");
        var name = "node-" + ep;
        await using var server = await StartAsync(ep);
        var registry = server.Services.GetRequiredService<NodeRegistry>();
        using var node = server.Http(NodeToken);

        var first = await TestServer.ReadAsync(await node.PostAsync($"/api/nodes/{name}/heartbeat", TestServer.Json(Beat)));
        Assert.Empty(first["workers"]!.AsArray());
        Assert.Contains(await registry.ListAsync(), n => n.Name == name && n.Inventory.NodeId == name && n.Inventory.CpuCores == 4 && !n.Lost);

        var worker = $"{ep}-w1";
        await registry.AssignAsync(new WorkerAssignment(worker, ep, name, [], null, "python3 worker.py", null, new Dictionary<string, string>(), 0));
        var orders = await TestServer.ReadAsync(await node.PostAsync($"/api/nodes/{name}/heartbeat", TestServer.Json(Beat)));
        var order = Assert.Single(orders["workers"]!.AsArray())!;
        Assert.Equal(worker, order["assignment"]!["workerId"]!.GetValue<string>());
        Assert.Equal(TestServer.WorkerToken, order["token"]!.GetValue<string>());
        Assert.True(orders["version"]!.GetValue<long>() > first["version"]!.GetValue<long>());

        var exited = Beat.Replace("\"exits\":[]", $$"""
            "exits":[{"workerId":"{{worker}}","exitCode":3}]
            """, StringComparison.Ordinal);
        var after = await TestServer.ReadAsync(await node.PostAsync($"/api/nodes/{name}/heartbeat", TestServer.Json(exited)));
        Assert.Empty(after["workers"]!.AsArray());
    }

    [Fact]
    public async Task A_silent_node_is_marked_lost_with_its_workers_and_its_next_heartbeat_brings_it_back()
    {
        var ep = GarnetStoreFixture.UniqueEndpoint("nodes");
        var name = "node-" + ep;
        await using var server = await StartAsync(ep);
        var registry = server.Services.GetRequiredService<NodeRegistry>();
        using var node = server.Http(NodeToken);
        await node.PostAsync($"/api/nodes/{name}/heartbeat", TestServer.Json(Beat));
        var seen = (await registry.ListAsync()).Single(n => n.Name == name).LastSeenMs;
        await registry.AssignAsync(new WorkerAssignment($"{ep}-w1", ep, name, [], null, null, null, new Dictionary<string, string>(), 0));

        Assert.Null(await registry.MarkLostAsync(name, seen - 1, seen + 10)); // heartbeat newer than the cutoff: not lost
        Assert.Equal([$"{ep}-w1"], await registry.MarkLostAsync(name, seen, seen + 10));
        Assert.True((await registry.ListAsync()).Single(n => n.Name == name).Lost);
        Assert.DoesNotContain((await registry.AssignmentsAsync()).Workers, a => a.Node == name);

        var back = await TestServer.ReadAsync(await node.PostAsync($"/api/nodes/{name}/heartbeat", TestServer.Json(Beat)));
        Assert.True(back["wasLost"]!.GetValue<bool>());
        Assert.False((await registry.ListAsync()).Single(n => n.Name == name).Lost);
    }
}

using System.Net;
using Hearth.Server.Hosting;
using Hearth.Server.Tests.Fixtures;
using Hearth.Store;

namespace Hearth.Server.Tests.Api;

/// <summary>The embedded store's limits as a client meets them: 507 with a hint naming the data directory, never a 2xx for something not kept.</summary>
public sealed class EmbeddedStoreLimitsTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "hearth-limits-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task A_spent_disk_budget_answers_507_naming_the_data_directory_and_keeps_every_accepted_job()
    {
        using var host = StoreHost.Open(new StoreOptions { DataDirectory = _dir, EmbeddedMemory = "32m", EmbeddedIndex = "4m", MaxDisk = "64m" });
        await using var server = await TestServer.StartAsync(host, o => o.Endpoints.Add(new EndpointOptions { Name = "disk" }));
        var (accepted, refused) = await StoreFailureTests.SubmitUntilRefusedAsync(
            server, "disk", 512 << 10, 400, () => host.Maintenance!.RunOnceAsync(CancellationToken.None));
        Assert.NotNull(refused);
        Assert.Equal(HttpStatusCode.InsufficientStorage, refused.StatusCode);
        var error = await TestServer.ReadAsync(refused);
        Assert.Contains("store is full", (string)error["error"]!, StringComparison.Ordinal);
        Assert.Contains("--store-max-disk", (string)error["error"]!, StringComparison.Ordinal);
        Assert.Contains(Path.GetFullPath(_dir), (string)error["hint"]!, StringComparison.Ordinal);
        Assert.NotEmpty(accepted);
        foreach (var id in accepted)
        {
            Assert.Equal("IN_QUEUE", (string?)(await server.StatusAsync("disk", id))["status"]);
        }
    }

    [Fact]
    public async Task Api_store_shows_the_embedded_stores_sizes_disk_log_and_last_checkpoint_to_the_admin_only()
    {
        using var host = StoreHost.Open(new StoreOptions { DataDirectory = _dir, EmbeddedMemory = "64m", MaxDisk = "10g" });
        await using var server = await TestServer.StartAsync(host, o => o.Endpoints.Add(new EndpointOptions { Name = "ep" }));
        using var admin = server.Http(TestServer.AdminKey);
        Assert.Equal(HttpStatusCode.OK, (await server.Client.PostAsync("/v2/ep/run", TestServer.Json("{\"input\":1}"))).StatusCode);
        await host.Maintenance!.CheckpointAsync(CancellationToken.None);
        await host.Maintenance.RunOnceAsync(CancellationToken.None);

        var store = TestServer.Parse(await admin.GetStringAsync("/api/store"));
        Assert.Equal("embedded", (string?)store["kind"]);
        Assert.Equal(Path.GetFullPath(_dir), (string?)store["data"]);
        Assert.Equal("fsync-always", (string?)store["durability"]);
        Assert.Equal(64L << 20, (long)store["memory"]!["budget_bytes"]!);
        Assert.False((bool)store["memory"]!["from_machine"]!);
        Assert.Equal(10L << 30, (long)store["disk"]!["max_bytes"]!);
        Assert.True((long)store["disk"]!["used_bytes"]! > 0);
        Assert.Null(store["disk"]!["full"]);
        Assert.True((long)store["records"]! > 0);
        Assert.Equal(HttpStatusCode.Forbidden, (await server.Client.GetAsync("/api/store")).StatusCode);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
            // Best effort.
        }
    }
}

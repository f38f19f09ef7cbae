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

using System.Net;
using Hearth.Server.Hosting;
using Hearth.Server.Tests.Fixtures;
using Hearth.Store;
using Hearth.Store.Tests.Fixtures;

namespace Hearth.Server.Tests.Api;

/// <summary>A full store refuses writes (noeviction): the client gets 507 with a hint, never a 2xx, and accepted jobs stay.</summary>
public sealed class StoreFailureTests
{
    [Fact]
    public async Task A_full_store_answers_507_and_keeps_every_job_it_accepted()
    {
        using var redis = RedisServerFixture.StartWith("--save", "", "--appendonly", "no", "--maxmemory", "3mb", "--maxmemory-policy", "noeviction");
        using var host = StoreHost.Open(new StoreOptions { Store = redis.Url, Durability = StoreDurability.Memory });
        await using var server = await TestServer.StartAsync(host, o => o.Endpoints.Add(new EndpointOptions { Name = "full" }));
        var body = "{\"input\":\"" + new string('x', 100_000) + "\"}";
        var accepted = new List<string>();
        HttpResponseMessage? refused = null;
        for (var i = 0; i < 200 && refused is null; i++)
        {
            var response = await server.Client.PostAsync("/v2/full/run", TestServer.Json(body));
            if (response.IsSuccessStatusCode)
            {
                accepted.Add((string)(await TestServer.ReadAsync(response))["id"]!);
            }
            else
            {
                refused = response;
            }
        }

        Assert.NotNull(refused);
        Assert.Equal(HttpStatusCode.InsufficientStorage, refused.StatusCode);
        var error = await TestServer.ReadAsync(refused);
        Assert.Contains("store is full", (string)error["error"]!);
        Assert.Contains("maxmemory", (string)error["hint"]!);
        Assert.NotEmpty(accepted);
        foreach (var id in accepted)
        {
            Assert.Equal("IN_QUEUE", (string?)(await server.StatusAsync("full", id))["status"]);
        }
    }
}

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
        var (accepted, refused) = await SubmitUntilRefusedAsync(server, "full", 100_000, 200);
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

    /// <summary>
    /// Submits inputs of <paramref name="bytes"/> until the server refuses one (or <paramref name="most"/> are accepted),
    /// running <paramref name="before"/> ahead of each submit; returns the accepted ids and the refusal.
    /// </summary>
    internal static async Task<(List<string> Accepted, HttpResponseMessage? Refused)> SubmitUntilRefusedAsync(
        TestServer server, string endpoint, int bytes, int most, Func<Task>? before = null)
    {
        var body = "{\"input\":\"" + new string('x', bytes) + "\"}";
        var accepted = new List<string>();
        for (var i = 0; i < most; i++)
        {
            if (before is not null)
            {
                await before();
            }

            var response = await server.Client.PostAsync($"/v2/{endpoint}/run", TestServer.Json(body));
            if (!response.IsSuccessStatusCode)
            {
                return (accepted, response);
            }

            accepted.Add((string)(await TestServer.ReadAsync(response))["id"]!);
        }

        return (accepted, null);
    }
}

using Hearth.Core.Wire;
using Hearth.Server.Tests.Fixtures;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Hearth.Server.Tests.Api;

/// <summary>
/// The control plane maps exactly the endpoint routes of the wire contract (<see cref="ApiRoutes"/>), which the
/// worker SDK, the client and the worker environment build their URLs from: a route renamed on one side only fails.
/// </summary>
public sealed class RouteContractTests(GarnetStoreFixture store) : IClassFixture<GarnetStoreFixture>
{
    [Fact]
    public async Task Every_endpoint_route_the_server_maps_is_in_the_contract_and_every_contract_route_is_mapped()
    {
        await using var server = await TestServer.StartAsync(store.Host, _ => { });
        var prefix = ApiRoutes.Endpoint + "/";
        var mapped = server.Services.GetServices<EndpointDataSource>()
            .SelectMany(source => source.Endpoints).OfType<RouteEndpoint>()
            .Select(e => e.RoutePattern.RawText ?? string.Empty)
            .Where(raw => raw.StartsWith(prefix, StringComparison.Ordinal))
            .Select(raw => raw[prefix.Length..].Split('/')[0])
            .ToHashSet(StringComparer.Ordinal);

        Assert.Equal(ApiRoutes.All.Order(StringComparer.Ordinal), mapped.Order(StringComparer.Ordinal));
    }
}

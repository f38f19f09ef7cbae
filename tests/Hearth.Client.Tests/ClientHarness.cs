using Hearth.Server.Hosting;
using Hearth.Server.Tests.Fixtures;

namespace Hearth.Client.Tests;

/// <summary>A real control plane, optionally one real echo worker on its endpoint, and a HearthClient pointed at it.</summary>
public sealed class ClientHarness : IAsyncDisposable
{
    private ClientHarness(TestServer server, WorkerProcess? worker, string endpoint)
    {
        Server = server;
        Worker = worker;
        Client = new HearthClient(new Uri(server.BaseUrl + "/v2"), TestServer.ClientKey);
        Endpoint = Client.Endpoint(endpoint);
    }

    public TestServer Server { get; }

    public WorkerProcess? Worker { get; }

    public HearthClient Client { get; }

    public EndpointClient Endpoint { get; }

    public static async Task<ClientHarness> StartAsync(GarnetStoreFixture store, string prefix, bool withWorker = true)
    {
        var ep = GarnetStoreFixture.UniqueEndpoint(prefix);
        var server = await TestServer.StartAsync(store.Host, o => o.Endpoints.Add(new EndpointOptions { Name = ep }));
        WorkerProcess? worker = null;
        if (withWorker)
        {
            worker = WorkerProcess.Start(server.BaseUrl, ep, "w1");
            await worker.WaitForLineAsync("ready");
        }

        return new ClientHarness(server, worker, ep);
    }

    /// <summary>Runs a client call while moving the server's virtual clock, so its server-side waits can elapse.</summary>
    public Task<T> AdvanceUntilAsync<T>(Task<T> pending) => Server.AdvanceUntilAsync(pending);

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        Worker?.Dispose();
        await Server.DisposeAsync();
    }
}

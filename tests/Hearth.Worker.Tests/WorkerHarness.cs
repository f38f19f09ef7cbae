using Hearth.Server.Hosting;
using Hearth.Server.Tests.Fixtures;

namespace Hearth.Worker.Tests;

/// <summary>A real control plane plus an in-process <see cref="HearthWorker"/> talking to it over loopback HTTP.</summary>
public sealed class WorkerHarness : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private Task? _run;

    private WorkerHarness(TestServer server, string endpoint)
    {
        Server = server;
        Endpoint = endpoint;
    }

    public TestServer Server { get; }

    public string Endpoint { get; }

    public HearthWorker? Worker { get; private set; }

    public static async Task<WorkerHarness> StartAsync(GarnetStoreFixture store, long executionTimeoutMs = 600_000)
    {
        var ep = GarnetStoreFixture.UniqueEndpoint("sdk");
        var server = await TestServer.StartAsync(store.Host, o => o.Endpoints.Add(new EndpointOptions { Name = ep, ExecutionTimeoutMs = executionTimeoutMs }));
        return new WorkerHarness(server, ep);
    }

    public WorkerOptions Options(string workerId = "sdk-worker") => WorkerOptions.FromEnvironment(new Dictionary<string, string?>
    {
        ["RUNPOD_WEBHOOK_GET_JOB"] = $"{Server.BaseUrl}/v2/{Endpoint}/job-take/$ID?gpu=",
        ["RUNPOD_WEBHOOK_POST_OUTPUT"] = $"{Server.BaseUrl}/v2/{Endpoint}/job-done/$RUNPOD_POD_ID/$ID?gpu=",
        ["RUNPOD_WEBHOOK_POST_STREAM"] = $"{Server.BaseUrl}/v2/{Endpoint}/job-stream/$RUNPOD_POD_ID/$ID?gpu=",
        ["RUNPOD_WEBHOOK_PING"] = $"{Server.BaseUrl}/v2/{Endpoint}/ping/$RUNPOD_POD_ID",
        ["RUNPOD_POD_ID"] = workerId,
        ["RUNPOD_AI_API_KEY"] = TestServer.WorkerToken,
        ["RUNPOD_PING_INTERVAL"] = "10000",
    });

    /// <summary>Starts the worker and waits until it asks for its first job.</summary>
    public async Task<HearthWorker> RunAsync(
        JobHandler handler, WorkerOptions? options = null, TimeProvider? workerTime = null, HttpMessageHandler? http = null)
    {
        Worker = new HearthWorker(handler, options ?? Options(), workerTime, httpHandler: http);
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Worker.Ready += (_, _) => ready.TrySetResult();
        _run = Worker.RunAsync(_stop.Token);
        await ready.Task.WaitAsync(TimeSpan.FromSeconds(20));
        return Worker;
    }

    /// <summary>Waits (bounded) until the in-process worker runs exactly <paramref name="count"/> jobs.</summary>
    public async Task WaitForRunningAsync(int count)
    {
        for (var i = 0; i < 2000 && Worker!.RunningJobs.Count != count; i++)
        {
            await Task.Delay(10);
        }

        Assert.Equal(count, Worker!.RunningJobs.Count);
    }

    /// <summary>What SIGTERM does in a host: stop, drain, return.</summary>
    public async Task StopWorkerAsync()
    {
        await _stop.CancelAsync();
        if (_run is not null)
        {
            await _run.WaitAsync(TimeSpan.FromSeconds(30));
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopWorkerAsync();
        Worker?.Dispose();
        _stop.Dispose();
        await Server.DisposeAsync();
    }
}

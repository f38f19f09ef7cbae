using System.Text.Json.Serialization;
using Hearth.Core.Jobs;
using Hearth.Server.Tests.Fixtures;

namespace Hearth.Client.Tests;

/// <summary>The client against a real control plane and a real Runpod-protocol worker: submit, wait, stream.</summary>
public sealed class ClientRoundTripTests(GarnetStoreFixture store) : IClassFixture<GarnetStoreFixture>
{
    public sealed record Greeting(string Hello, int N);

    public sealed record SlowGreeting(string Hello, [property: JsonPropertyName("sleep_ms")] int SleepMs);

    public sealed record StreamRequest(bool Stream, int Count, [property: JsonPropertyName("sleep_ms")] int SleepMs);

    public sealed record Chunk(int I);

    [Fact]
    public async Task RunSync_round_trips_a_typed_input_to_a_typed_output()
    {
        await using var h = await ClientHarness.StartAsync(store, "echo");

        var result = await h.AdvanceUntilAsync(h.Endpoint.RunSyncAsync<Greeting, Greeting>(new Greeting("world", 7)));

        Assert.Equal(JobStatus.Completed, result.Status);
        Assert.True(result.IsFinal);
        Assert.True(result.IsCompleted);
        Assert.Equal(new Greeting("world", 7), result.Output);
        Assert.StartsWith("sync-", result.Id, StringComparison.Ordinal);
        Assert.Equal("w1", result.WorkerId);
        Assert.NotNull(result.DelayTime);
        Assert.NotNull(result.ExecutionTime);
        Assert.Null(result.Error);
    }

    [Fact]
    public async Task RunSync_keeps_polling_status_sync_when_the_job_outlives_the_wait()
    {
        await using var h = await ClientHarness.StartAsync(store, "slow");

        // The server's 1 s wait elapses on the virtual clock long before the worker's real 800 ms sleep ends.
        var result = await h.AdvanceUntilAsync(
            h.Endpoint.RunSyncAsync<SlowGreeting, SlowGreeting>(new SlowGreeting("later", 800), wait: TimeSpan.FromSeconds(1)));

        Assert.True(result.IsCompleted);
        Assert.Equal("later", result.Output!.Hello);
    }

    [Fact]
    public async Task Run_then_WaitAsync_returns_the_completed_output()
    {
        await using var h = await ClientHarness.StartAsync(store, "run");

        var handle = await h.Endpoint.RunAsync(new Greeting("async", 3));
        Assert.Equal(JobStatus.InQueue, handle.Status);
        Assert.False(string.IsNullOrEmpty(handle.Id));

        var result = await h.AdvanceUntilAsync(h.Endpoint.WaitAsync<Greeting>(handle.Id));

        Assert.Equal(handle.Id, result.Id);
        Assert.True(result.IsCompleted);
        Assert.Equal(new Greeting("async", 3), result.Output);

        var status = await h.Endpoint.StatusAsync<Greeting>(handle.Id);
        Assert.Equal(result, status);
    }

    [Fact]
    public async Task WaitAsync_with_a_timeout_returns_the_last_status_when_the_job_is_not_done()
    {
        await using var h = await ClientHarness.StartAsync(store, "idle", withWorker: false);
        var handle = await h.Endpoint.RunAsync(new Greeting("nobody", 0));

        var result = await h.AdvanceUntilAsync(h.Endpoint.WaitAsync<Greeting>(handle.Id, TimeSpan.FromMilliseconds(100)));

        Assert.Equal(JobStatus.InQueue, result.Status);
        Assert.False(result.IsFinal);
        Assert.Null(result.Output);
    }

    [Fact]
    public async Task StreamAsync_yields_every_chunk_in_order_then_ends_when_the_job_is_final()
    {
        await using var h = await ClientHarness.StartAsync(store, "stream");
        var handle = await h.Endpoint.RunAsync(new StreamRequest(true, 3, 50));

        var chunks = await h.AdvanceUntilAsync(CollectAsync(h.Endpoint.StreamAsync<Chunk>(handle.Id)));

        Assert.Equal([new Chunk(0), new Chunk(1), new Chunk(2)], chunks);
        var status = await h.Endpoint.StatusAsync<List<Chunk>>(handle.Id);
        Assert.True(status.IsCompleted);
        Assert.Equal(3, status.Output!.Count);
    }

    private static async Task<List<T>> CollectAsync<T>(IAsyncEnumerable<T> source)
    {
        var list = new List<T>();
        await foreach (var item in source)
        {
            list.Add(item);
        }

        return list;
    }
}

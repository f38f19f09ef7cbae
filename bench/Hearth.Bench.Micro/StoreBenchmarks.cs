using BenchmarkDotNet.Attributes;
using Hearth.Store;
using Hearth.Store.Jobs;
using StackExchange.Redis;

namespace Hearth.Bench.Micro;

/// <summary>
/// The store scripts of one job's life (submit, take, done) through <see cref="RedisHearthStore"/>, one at a time, against
/// the redis-server at HEARTH_BENCH_REDIS (default 127.0.0.1:6396, which bench/run-micro.sh starts). Time is dominated by
/// the round trips; the allocations are the client side's per call.
/// </summary>
[MemoryDiagnoser]
[ShortRunJob]
public class StoreBenchmarks
{
    private ConnectionMultiplexer? _mux;
    private RedisHearthStore? _store;
    private long _now;

    [GlobalSetup]
    public void Setup()
    {
        _mux = ConnectionMultiplexer.Connect(Environment.GetEnvironmentVariable("HEARTH_BENCH_REDIS") ?? "127.0.0.1:6396");
        _store = new RedisHearthStore(_mux);
        _now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
    }

    [GlobalCleanup]
    public void Cleanup() => _mux?.Dispose();

    [Benchmark]
    public async Task<int> SubmitTakeDone()
    {
        var id = Guid.NewGuid().ToString("D");
        await _store!.SubmitAsync("micro", new NewJob(id, "{\"id\":\"" + id + "\",\"input\":{}}", _now, 86_400_000, 600_000, 60_000, false, null));
        var taken = await _store.TakeAsync("micro", "w1", 1, _now, 30_000);
        var done = await _store.CompleteAsync("micro", new JobCompletion(taken[0].Id, "w1", null, _now, false, "{}", null));
        return (int)done.Check;
    }

    /// <summary>The take script on an empty queue: what every long-poll wake-up without work costs.</summary>
    [Benchmark]
    public async Task<int> TakeEmpty() => (await _store!.TakeAsync("micro-empty", "w1", 16, _now, 30_000)).Count;

    [Benchmark(Baseline = true)]
    public async Task<TimeSpan> Ping() => await _mux!.GetDatabase().PingAsync();
}

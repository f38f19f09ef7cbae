using Hearth.Core.Jobs;
using Hearth.Store.Jobs;
using Hearth.Store.Tests.Fixtures;
using Hearth.Store.Traces;

namespace Hearth.Store.Tests.Traces;

/// <summary>The span store's rules, run against embedded Garnet and redis-server like the job conformance kit.</summary>
public abstract class TraceStoreConformanceTests
{
    private const long T0 = 1_700_000_000_000;

    protected abstract StoreHost Host { get; }

    private ITraceStore Traces => Host.Traces;

    private static string NewTrace() => Guid.NewGuid().ToString("N");

    [Fact]
    public async Task A_closed_span_is_never_replaced_by_a_late_open_report()
    {
        var trace = NewTrace();
        Assert.Equal(1, await Traces.PutSpansAsync(trace, [new StoredSpan("a", Open: true, "{\"v\":\"open\"}")], 10, TimeSpan.FromMinutes(1)));
        Assert.Equal(1, await Traces.PutSpansAsync(trace, [new StoredSpan("a", Open: false, "{\"v\":\"closed\"}")], 10, TimeSpan.FromMinutes(1)));
        Assert.Equal(0, await Traces.PutSpansAsync(trace, [new StoredSpan("a", Open: true, "{\"v\":\"late\"}")], 10, TimeSpan.FromMinutes(1)));
        Assert.Equal(["{\"v\":\"closed\"}"], (await Traces.ReadTraceAsync(trace)).Spans);
        Assert.Equal("{\"v\":\"closed\"}", await Traces.GetSpanAsync(trace, "a"));
        Assert.Null(await Traces.GetSpanAsync(trace, "b"));
    }

    [Fact]
    public async Task A_trace_keeps_at_most_its_cap_of_spans_but_updates_the_kept_ones()
    {
        var trace = NewTrace();
        var spans = Enumerable.Range(0, 5).Select(i => new StoredSpan($"s{i}", true, $"{{\"i\":{i}}}")).ToList();
        Assert.Equal(3, await Traces.PutSpansAsync(trace, spans, 3, TimeSpan.FromMinutes(1)));
        Assert.Equal(1, await Traces.PutSpansAsync(trace, [new StoredSpan("s0", false, "{\"i\":0,\"end\":1}")], 3, TimeSpan.FromMinutes(1)));
        var read = await Traces.ReadTraceAsync(trace);
        Assert.Equal(3, read.Spans.Count);
        Assert.Contains("{\"i\":0,\"end\":1}", read.Spans);
    }

    [Fact]
    public async Task Traces_expire_after_their_retention_and_hung_marks_are_read_back()
    {
        var trace = NewTrace();
        await Traces.PutSpansAsync(trace, [new StoredSpan("a", true, "{}")], 10, TimeSpan.FromMinutes(5));
        await Traces.MarkHungAsync(trace, ["a"], T0, TimeSpan.FromMinutes(5));
        Assert.Equal(T0, (await Traces.ReadTraceAsync(trace)).Hung["a"]);
        var db = Host.Connection.GetDatabase();
        foreach (var key in new[] { $"hearth:{{t:{trace}}}:spans", $"hearth:{{t:{trace}}}:hung" })
        {
            var ttl = await db.KeyTimeToLiveAsync(key);
            Assert.InRange(ttl!.Value, TimeSpan.FromMinutes(4), TimeSpan.FromMinutes(5));
        }
    }

    [Fact]
    public async Task A_job_keeps_its_trace_context_and_a_noted_diagnosis_becomes_its_timeout_error()
    {
        var ep = "ep-" + Guid.NewGuid().ToString("N")[..12];
        var context = "4bf92f3577b34da6a3ce929d0e0e4736 00f067aa0ba902b7 ";
        await Host.Store.SubmitAsync(ep, new NewJob("a", "{\"id\":\"a\",\"input\":1}", T0, JobLimits.DefaultTtlMs, 5_000, JobLimits.RunRetentionMs, false, null) { TraceContext = context });
        Assert.Equal(context, (await Host.Store.GetAsync(ep, "a"))!.TraceContext);
        Assert.False(await Traces.NoteTimeoutAsync(ep, "a", "step \"x\" open for 1.0 s"));

        await Host.Store.TakeAsync(ep, "w1", 1, T0, 30_000);
        Assert.Empty(await Traces.DueTimeoutsAsync(ep, T0 + 4_999, 10));
        Assert.Equal(["a"], await Traces.DueTimeoutsAsync(ep, T0 + 5_001, 10));
        Assert.True(await Traces.NoteTimeoutAsync(ep, "a", "step \"x\" open for 1.0 s"));
        Assert.Equal(["a"], (await Host.Store.SweepAsync(ep, T0 + 5_001, new SweepLimits(2, 100))).Finalized);
        var timedOut = (await Host.Store.GetAsync(ep, "a"))!;
        Assert.Equal(JobStatus.TimedOut, timedOut.Status);
        Assert.Equal("TIMED_OUT after 5000 ms: step \"x\" open for 1.0 s", timedOut.Error);
        Assert.False(await Traces.NoteTimeoutAsync(ep, "a", "too late"));
    }
}

public sealed class GarnetTraceStoreTests(GarnetFixture garnet) : TraceStoreConformanceTests, IClassFixture<GarnetFixture>
{
    protected override StoreHost Host => garnet.Host;
}

[Collection(RedisCollection.Name)]
public sealed class RedisTraceStoreTests : TraceStoreConformanceTests, IDisposable
{
    private readonly StoreHost _host;

    public RedisTraceStoreTests(RedisServerFixture redis) => _host = StoreHost.Open(new StoreOptions { Store = redis.Url, Durability = StoreDurability.Memory });

    protected override StoreHost Host => _host;

    public void Dispose() => _host.Dispose();
}

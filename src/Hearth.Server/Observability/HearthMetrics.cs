using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Hearth.Core.Tracing;

namespace Hearth.Server.Observability;

/// <summary>
/// The <c>Hearth</c> meter: jobs by final status, delay and execution histograms, cold starts (counted as they happen),
/// and gauges of queue depth, jobs in progress, workers by state and VRAM reserved, read from the latest
/// <see cref="MetricsSampler"/> pass (gauge callbacks never touch the store).
/// </summary>
public sealed class HearthMetrics
{
    private readonly Counter<long> _finished;
    private readonly Histogram<double> _delay;
    private readonly Histogram<double> _execution;
    private readonly Counter<long> _coldStarts;
    private readonly Histogram<double> _coldStart;
    private readonly ConcurrentDictionary<string, EndpointGauges> _gauges = new(StringComparer.Ordinal);

    /// <summary>Creates the instruments on a meter from <paramref name="meters"/>.</summary>
    public HearthMetrics(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        var meter = meters.Create(HearthTelemetry.Name);
        _finished = meter.CreateCounter<long>("hearth.jobs.finished", "{job}",
            "Jobs that reached a final state, by endpoint and status.");
        _delay = meter.CreateHistogram<double>("hearth.job.delay", "ms",
            "Queue time: submit to the take that ran the job (delayTime).");
        _execution = meter.CreateHistogram<double>("hearth.job.execution", "ms",
            "Run time: take to final state (executionTime).");
        _coldStarts = meter.CreateCounter<long>("hearth.worker.cold_starts", "{start}",
            "Workers started and seen taking their first job.");
        _coldStart = meter.CreateHistogram<double>("hearth.worker.cold_start", "ms",
            "Scale-up decision to the worker's first job-take.");
        meter.CreateObservableGauge("hearth.queue.depth", () => Each(g => [
            Measure(g.InQueue, g, ("priority", "normal")), Measure(g.InQueueLowPriority, g, ("priority", "low"))]),
            "{job}", "Jobs waiting in the queue.");
        meter.CreateObservableGauge("hearth.jobs.in_progress", () => Each(g => [Measure(g.InProgress, g)]), "{job}",
            "Jobs leased to workers.");
        meter.CreateObservableGauge("hearth.workers",
            () => Each(g => g.WorkersByState.Select(s => Measure(s.Value, g, ("state", s.Key)))), "{worker}",
            "Workers by state.");
        meter.CreateObservableGauge("hearth.vram.reserved", () => Each(g => [Measure(g.VramReservedBytes, g)]), "By",
            "GPU memory reserved by placed workers.");
    }

    /// <summary>Counts a job's final state and records its delay and execution time.</summary>
    public void JobFinished(string endpoint, string status, long? delayMs, long? executionMs)
    {
        var e = new KeyValuePair<string, object?>("endpoint", endpoint);
        var s = new KeyValuePair<string, object?>("status", status);
        _finished.Add(1, e, s);
        if (delayMs is { } d)
        {
            _delay.Record(d, e);
        }

        if (executionMs is { } x)
        {
            _execution.Record(x, e, s);
        }
    }

    /// <summary>A worker became ready; <paramref name="coldStartMs"/> from the scale-up decision.</summary>
    public void ColdStart(string endpoint, double coldStartMs)
    {
        var e = new KeyValuePair<string, object?>("endpoint", endpoint);
        _coldStarts.Add(1, e);
        _coldStart.Record(coldStartMs, e);
    }

    /// <summary>Replaces an endpoint's gauge values (called by the sampler).</summary>
    public void Sampled(EndpointGauges gauges)
    {
        ArgumentNullException.ThrowIfNull(gauges);
        _gauges[gauges.Endpoint] = gauges;
    }

    private IEnumerable<Measurement<long>> Each(Func<EndpointGauges, IEnumerable<Measurement<long>>> select) =>
        _gauges.Values.SelectMany(select);

    private static Measurement<long> Measure(long value, EndpointGauges g, params (string Key, string Value)[] tags)
    {
        var list = new TagList { { "endpoint", g.Endpoint } };
        foreach (var (k, v) in tags)
        {
            list.Add(k, v);
        }

        return new Measurement<long>(value, list);
    }
}

/// <summary>One endpoint's gauge values at a sample.</summary>
public sealed record EndpointGauges(string Endpoint, long InQueue, long InQueueLowPriority, long InProgress,
    IReadOnlyDictionary<string, long> WorkersByState, long VramReservedBytes);

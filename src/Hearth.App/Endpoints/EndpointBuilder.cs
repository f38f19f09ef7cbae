using Hearth.Core.Endpoints;

namespace Hearth.App.Endpoints;

/// <summary>Fluent endpoint settings in the seed/Flash vocabulary; <see cref="Build"/> yields the same
/// <see cref="EndpointSpec"/> a hearth.yaml entry does.</summary>
public sealed class EndpointBuilder
{
    private EndpointSpec _spec;

    internal EndpointBuilder(string name) => _spec = new EndpointSpec { Name = name };

    /// <summary>Runs on CPU, on an instance type such as <c>cpu5c-4-8</c>.</summary>
    public EndpointBuilder Cpu(string instanceType) => Set(_spec with { Cpu = instanceType });

    /// <summary>Runs on GPU: one type or pool, or several in priority order, or <c>any</c>.</summary>
    public EndpointBuilder Gpu(params string[] typesInPriorityOrder) => Set(_spec with { Gpu = typesInPriorityOrder });

    /// <summary>GPUs per worker (default 1).</summary>
    public EndpointBuilder GpuCount(int count) => Set(_spec with { GpuCount = count });

    /// <summary>Worker range: <c>(0, n)</c> scales to zero, <c>(1, n)</c> keeps one warm, <c>(3, n)</c>
    /// three.</summary>
    public EndpointBuilder Workers(int min, int max) => Set(_spec with { WorkersMin = min, WorkersMax = max });

    /// <summary>How long an idle worker above the minimum stays up (default 60 s).</summary>
    public EndpointBuilder IdleTimeout(TimeSpan timeout) => Set(_spec with { IdleTimeout = timeout });

    /// <summary>Longest a job may run once a worker took it (default 600 s).</summary>
    public EndpointBuilder ExecutionTimeout(TimeSpan timeout) =>
        Set(_spec with { ExecutionTimeoutMs = (long)timeout.TotalMilliseconds });

    /// <summary>Longest a job may live from submission (default 24 h).</summary>
    public EndpointBuilder Ttl(TimeSpan ttl) => Set(_spec with { TtlMs = (long)ttl.TotalMilliseconds });

    /// <summary>Most journaled steps one job may run before it fails with <c>loop_detected</c> (default 200).</summary>
    public EndpointBuilder MaxSteps(int steps) => Set(_spec with { MaxSteps = steps });

    /// <summary>How long a named session may sit idle before its journal and state go (default: idle timeout × 2, at
    /// least 30 min).</summary>
    public EndpointBuilder SessionIdleTimeout(TimeSpan timeout) => Set(_spec with { SessionIdleTimeout = timeout });

    /// <summary>Jobs one worker runs at once (default 1).</summary>
    public EndpointBuilder Concurrency(int jobs) => Set(_spec with { Concurrency = jobs });

    /// <summary>Autoscaler kind and value (default <c>QUEUE_DELAY</c>, 4 s).</summary>
    public EndpointBuilder Scaler(ScalerType type, double value) =>
        Set(_spec with { ScalerType = type, ScalerValue = value });

    /// <summary>Data center (e.g. <c>US-GA-2</c>).</summary>
    public EndpointBuilder Datacenter(string id) => Set(_spec with { Datacenter = id });

    /// <summary>A network volume mounted into every worker.</summary>
    public EndpointBuilder Volume(string name, int sizeGb = 100, string? datacenter = null) =>
        Set(_spec with { Volume = new VolumeSpec(name, sizeGb, datacenter) });

    /// <summary>An environment variable for the workers.</summary>
    public EndpointBuilder Env(string name, string value) =>
        Set(_spec with { Env = new Dictionary<string, string>(_spec.Env) { [name] = value } });

    /// <summary>The endpoints this one's handlers call with <c>ctx.CallAsync</c>: its workers' call key may run and
    /// read jobs on these and nothing else (none declared: no call key).</summary>
    public EndpointBuilder Calls(params string[] endpoints) =>
        Set(_spec with { Calls = [.. _spec.Calls.Concat(endpoints).Distinct(StringComparer.Ordinal)] });

    /// <summary>The model a GPU worker serves, for memory sizing.</summary>
    public EndpointBuilder Model(ModelSpec model) => Set(_spec with { Model = model });

    /// <summary>How latency-sensitive callers are (default interactive); <c>hearth lint</c> picks the worker minimum
    /// from it.</summary>
    public EndpointBuilder Latency(EndpointLatency latency) => Set(_spec with { Latency = latency });

    /// <summary>The endpoint as declared.</summary>
    public EndpointSpec Build() => _spec;

    private EndpointBuilder Set(EndpointSpec spec)
    {
        _spec = spec;
        return this;
    }
}

using Hearth.Core.Endpoints;
using YamlDotNet.RepresentationModel;

namespace Hearth.App.Config;

/// <summary>Reads one <c>endpoints[i]</c> mapping of <c>hearth.yaml</c> into an <see cref="EndpointSpec"/>.</summary>
internal static partial class EndpointReader
{
    /// <summary>The keys an endpoint may set (DESIGN §9), in documentation order.</summary>
    public static readonly IReadOnlyList<string> Keys =
    [
        "name", "type", "gpu", "cpu", "gpu_count", "workers", "idle_timeout", "execution_timeout_ms", "ttl_ms",
        "max_execution_timeout_ms", "max_ttl_ms",
        "scaler_type", "scaler_value", "datacenter", "volume", "env", "flashboot", "model", "command", "health_path",
        "concurrency", "max_steps", "session_idle_timeout", "latency", "protocol", "calls",
    ];

    /// <summary>Reads an endpoint; settings with problems keep their defaults so the validator does not report them
    /// twice.</summary>
    public static EndpointSpec Read(YamlNode node, string path, YamlReader reader)
    {
        var spec = new EndpointSpec { Name = string.Empty };
        var map = reader.Mapping(node, path, "'name: agent'");
        if (map is null)
        {
            return spec;
        }

        var hasName = false;
        var hasScalerType = false;
        foreach (var (key, value) in reader.Entries(map, path, Keys))
        {
            var at = $"{path}.{key}";
            if (YamlReader.IsNull(value))
            {
                continue;
            }

            hasName |= key == "name";
            hasScalerType |= key == "scaler_type";
            spec = ReadField(spec, key, value, at, reader);
        }

        if (!hasName)
        {
            reader.Report($"{path}.name", null, $"endpoint has no name (line {map.Start.Line})",
                "add 'name:' with a name such as 'agent-orchestrator'.");
        }

        // Flash defaults load-balanced endpoints to REQUEST_COUNT: there is no queue whose delay could be measured.
        if (!hasScalerType && spec.Type == EndpointType.LoadBalanced)
        {
            spec = spec with { ScalerType = ScalerType.RequestCount };
        }

        return spec;
    }

    private static readonly IReadOnlyList<string> LatencyNames = ["realtime", "interactive", "batch"];

    private static EndpointSpec ReadField(
        EndpointSpec spec, string key, YamlNode value, string at, YamlReader reader) => key switch
    {
        "name" => reader.Text(value, at, "agent-orchestrator") is { } name ? spec with { Name = name } : spec,
        "type" => ReadType(value, at, reader) is { } type ? spec with { Type = type } : spec,
        "gpu" => spec with { Gpu = ReadGpu(value, at, reader) },
        "cpu" => spec with { Cpu = reader.Text(value, at, "cpu5c-4-8") },
        "gpu_count" => reader.Int(value, at, "a number of GPUs", "1") is { } count ? spec with { GpuCount = count }
            : spec,
        "workers" => ReadWorkers(value, at, reader) is var (min, max) ? spec with { WorkersMin = min, WorkersMax = max }
            : spec,
        "idle_timeout" => reader.Int(value, at, "seconds", "60") is { } idle
            ? spec with { IdleTimeout = TimeSpan.FromSeconds(idle) } : spec,
        "execution_timeout_ms" => reader.Long(value, at, "milliseconds", "120000") is { } exec
            ? spec with { ExecutionTimeoutMs = exec } : spec,
        "ttl_ms" => reader.Long(value, at, "milliseconds", "86400000") is { } ttl ? spec with { TtlMs = ttl } : spec,
        "max_execution_timeout_ms" => reader.Long(value, at, "milliseconds", "3600000") is { } maxExec
            ? spec with { MaxExecutionTimeoutMs = maxExec } : spec,
        "max_ttl_ms" => reader.Long(value, at, "milliseconds", "86400000") is { } maxTtl
            ? spec with { MaxTtlMs = maxTtl } : spec,
        "scaler_type" => ReadScalerType(value, at, reader) is { } scaler ? spec with { ScalerType = scaler } : spec,
        "scaler_value" => reader.Double(value, at, "4") is { } sv ? spec with { ScalerValue = sv } : spec,
        "datacenter" => spec with { Datacenter = reader.Text(value, at, "US-GA-2") },
        "volume" => spec with { Volume = ReadVolume(value, at, reader) },
        "env" => spec with { Env = ReadEnv(value, at, reader) },
        "calls" => spec with { Calls = ReadNames(value, at, reader, "calls: [web-retrieval, embedding-search]") },
        "flashboot" => reader.Bool(value, at) is { } fb ? spec with { Flashboot = fb } : spec,
        "model" => spec with { Model = ReadModel(value, at, reader) },
        "command" => spec with { Command = ReadCommand(value, at, reader) },
        "health_path" => spec with { HealthPath = reader.Text(value, at, "/ping") },
        "max_steps" => reader.Int(value, at, "a number of steps", "200") is { } steps ? spec with { MaxSteps = steps }
            : spec,
        "session_idle_timeout" => reader.Int(value, at, "seconds", "3600") is { } si
            ? spec with { SessionIdleTimeout = TimeSpan.FromSeconds(si) } : spec,
        "concurrency" => reader.Int(value, at, "a number of jobs", "1") is { } c ? spec with { Concurrency = c } : spec,
        "latency" => ReadLatency(value, at, reader) is { } latency ? spec with { Latency = latency } : spec,
        "protocol" => ReadProtocol(value, at, reader) is { } protocol ? spec with { Protocol = protocol } : spec,
        _ => spec,
    };

    private static EndpointType? ReadType(YamlNode node, string path, YamlReader reader)
    {
        switch ((node as YamlScalarNode)?.Value?.ToLowerInvariant())
        {
            case "queue" or "qb":
                return EndpointType.Queue;
            case "load_balanced" or "load-balanced" or "lb":
                return EndpointType.LoadBalanced;
            default:
                reader.Report(path, node, "unknown endpoint type",
                    "use 'queue' (jobs through /run) or 'load_balanced' (requests proxied to workers).");
                return null;
        }
    }

    private static EndpointLatency? ReadLatency(YamlNode node, string path, YamlReader reader)
    {
        switch ((node as YamlScalarNode)?.Value?.ToLowerInvariant())
        {
            case "realtime" or "real-time" or "real_time":
                return EndpointLatency.Realtime;
            case "interactive":
                return EndpointLatency.Interactive;
            case "batch":
                return EndpointLatency.Batch;
            default:
                var closest = node is YamlScalarNode { Value: { } text } ? ClosestName.Find(
                    text.ToLowerInvariant(), LatencyNames) : null;
                var hint = closest is not null ? $"did you mean '{closest}'? " : string.Empty;
                reader.Report(path, node, "unknown latency",
                    $"{hint}Use realtime (3 warm workers), interactive (1, the default) or batch (scale to zero).");
                return null;
        }
    }

    private static readonly IReadOnlyList<string> ProtocolNames = ["auto", "pull", "push"];

    private static WorkerProtocol? ReadProtocol(YamlNode node, string path, YamlReader reader)
    {
        switch ((node as YamlScalarNode)?.Value?.ToLowerInvariant())
        {
            case "auto":
                return WorkerProtocol.Auto;
            case "pull":
                return WorkerProtocol.Pull;
            case "push":
                return WorkerProtocol.Push;
            default:
                var closest = node is YamlScalarNode { Value: { } text }
                    ? ClosestName.Find(text.ToLowerInvariant(), ProtocolNames)
                    : null;
                var hint = closest is not null ? $"did you mean '{closest}'? " : string.Empty;
                reader.Report(path, node, "unknown protocol",
                    $"{hint}Use auto (the default: push once the workers show they are runpod-python serving one "
                    + "job at a time without streaming, else pull), pull (the worker takes its jobs) or push "
                    + "(Hearth pushes each job to the runpod-python SDK's realtime server); see docs/workers.md.");
                return null;
        }
    }

    private static ScalerType? ReadScalerType(YamlNode node, string path, YamlReader reader)
    {
        switch ((node as YamlScalarNode)?.Value?.ToUpperInvariant())
        {
            case "QUEUE_DELAY":
                return ScalerType.QueueDelay;
            case "REQUEST_COUNT":
                return ScalerType.RequestCount;
            default:
                reader.Report(path, node, "unknown scaler type", "use QUEUE_DELAY or REQUEST_COUNT.");
                return null;
        }
    }
}

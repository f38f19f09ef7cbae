namespace Hearth.Core.Endpoints;

/// <summary>
/// One endpoint as declared in C# (<c>app.Endpoint(...)</c>) or in <c>hearth.yaml</c>: a handler plus its compute,
/// scaling and timeout settings. Field names follow the seed article and Runpod Flash. Both sources produce this
/// record; <c>EndpointSpecValidator</c> checks it.
/// </summary>
public sealed record EndpointSpec
{
    /// <summary>Default idle timeout: 60 s (Flash's default; 1–3600 s accepted).</summary>
    public static readonly TimeSpan DefaultIdleTimeout = TimeSpan.FromSeconds(60);

    /// <summary>Default scaler value: 4 (seconds of queue delay for <c>QUEUE_DELAY</c>).</summary>
    public const double DefaultScalerValue = 4;

    /// <summary>Endpoint name: 1–64 lowercase letters, digits, '.', '_' or '-'.</summary>
    public required string Name { get; init; }

    /// <summary><c>Queue</c> (default) or <c>LoadBalanced</c>.</summary>
    public EndpointType Type { get; init; } = EndpointType.Queue;

    /// <summary>GPU types or pools in priority order, or <c>["any"]</c>; empty for a CPU endpoint.</summary>
    public IReadOnlyList<string> Gpu { get; init; } = [];

    /// <summary>CPU instance type (<c>cpu{gen}{class}-{vcpu}-{ram}</c>, e.g. <c>cpu5c-4-8</c>); null for a GPU
    /// endpoint.</summary>
    public string? Cpu { get; init; }

    /// <summary>GPUs per worker. Default 1.</summary>
    public int GpuCount { get; init; } = 1;

    /// <summary>Fewest workers kept running (warm). Default 0 (scale to zero).</summary>
    public int WorkersMin { get; init; }

    /// <summary>Most workers. Default 1.</summary>
    public int WorkersMax { get; init; } = 1;

    /// <summary>How long an idle worker above the minimum stays up. Default 60 s.</summary>
    public TimeSpan IdleTimeout { get; init; } = DefaultIdleTimeout;

    /// <summary>Execution timeout in ms; null means the platform default (600 000 ms); 0 means none declared.</summary>
    public long? ExecutionTimeoutMs { get; init; }

    /// <summary>Job TTL in ms; null means the platform default (24 h).</summary>
    public long? TtlMs { get; init; }

    /// <summary>The longest execution timeout a client may ask for per job, in ms; null: 7 days.</summary>
    public long? MaxExecutionTimeoutMs { get; init; }

    /// <summary>The longest TTL a client may ask for per job, in ms; null: 7 days.</summary>
    public long? MaxTtlMs { get; init; }

    /// <summary>Autoscaler kind. Default <c>QUEUE_DELAY</c> for queue endpoints.</summary>
    public ScalerType ScalerType { get; init; } = ScalerType.QueueDelay;

    /// <summary>Autoscaler parameter. Default 4.</summary>
    public double ScalerValue { get; init; } = DefaultScalerValue;

    /// <summary>Data center id (e.g. <c>US-GA-2</c>); null means any.</summary>
    public string? Datacenter { get; init; }

    /// <summary>A network volume mounted into every worker; null for none.</summary>
    public VolumeSpec? Volume { get; init; }

    /// <summary>Environment variables given to workers.</summary>
    public IReadOnlyDictionary<string, string> Env { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// The endpoints this one's handlers call (<c>ctx.CallAsync</c>). Their workers get a call key that may only run
    /// and read jobs on these; with none declared (the default) they get no call key at all.
    /// </summary>
    public IReadOnlyList<string> Calls { get; init; } = [];

    /// <summary>Keep worker state after spin-down for faster revival (Flash's FlashBoot). Default true.</summary>
    public bool Flashboot { get; init; } = true;

    /// <summary>The model a GPU worker serves, for memory sizing; null when not declared.</summary>
    public ModelSpec? Model { get; init; }

    /// <summary>Command line of a worker written in any language (YAML endpoints); null for C# handlers.</summary>
    public string? Command { get; init; }

    /// <summary>How a <c>command:</c> worker gets its jobs. Default <see cref="WorkerProtocol.Auto"/>.</summary>
    public WorkerProtocol Protocol { get; init; } = WorkerProtocol.Auto;

    /// <summary>Health route of a load-balanced endpoint's workers. Default null (<c>/ping</c> is used).</summary>
    public string? HealthPath { get; init; }

    /// <summary>Jobs one worker runs at once. Default 1.</summary>
    public int Concurrency { get; init; } = 1;

    /// <summary>How latency-sensitive the endpoint's callers are. Default <see
    /// cref="EndpointLatency.Interactive"/>.</summary>
    public EndpointLatency Latency { get; init; } = EndpointLatency.Interactive;

    /// <summary>Most journaled steps one job may run before it fails with <c>loop_detected</c>. Default 200.</summary>
    public int MaxSteps { get; init; } = EndpointLimits.DefaultMaxSteps;

    /// <summary>How long a named session may sit idle before its journal, state and binding go; null means the default
    /// (<see cref="SessionIdle"/>).</summary>
    public TimeSpan? SessionIdleTimeout { get; init; }

    /// <summary>The session idle timeout in force: the declared one, else twice the worker idle timeout, at least 30
    /// min.</summary>
    public TimeSpan SessionIdle => SessionIdleTimeout
        ?? TimeSpan.FromSeconds(Math.Max(EndpointLimits.MinSessionIdleTimeoutSeconds, IdleTimeout.TotalSeconds * 2));

    /// <summary>True when the endpoint runs on CPU.</summary>
    public bool IsCpu => Cpu is not null || Gpu.Count == 0;
}

/// <summary>Endpoint kinds (Flash's <c>QB</c> and <c>LB</c>).</summary>
public enum EndpointType
{
    /// <summary>Jobs go through a queue (<c>/run</c>, <c>/runsync</c>).</summary>
    Queue,

    /// <summary>Requests are proxied straight to a worker's HTTP server.</summary>
    LoadBalanced,
}

/// <summary>Autoscaler kinds (Runpod's <c>ServerlessScalerType</c>).</summary>
public enum ScalerType
{
    /// <summary>Add workers while the oldest job waited longer than <c>scaler_value</c> seconds.</summary>
    QueueDelay,

    /// <summary>Want <c>ceil((inQueue + inProgress) / scaler_value)</c> workers.</summary>
    RequestCount,
}

/// <summary>A network volume.</summary>
/// <param name="Name">Volume name.</param>
/// <param name="SizeGb">Size in GB (10–4096, default 100).</param>
/// <param name="Datacenter">Data center it lives in; null means the endpoint's.</param>
public sealed record VolumeSpec(string Name, int SizeGb = 100, string? Datacenter = null);

/// <summary>The model a GPU endpoint serves, for VRAM sizing.</summary>
/// <param name="Config">Path to a Hugging Face <c>config.json</c>.</param>
/// <param name="Dtype">Weights dtype (fp16, bf16, fp8, int4…). Default bf16.</param>
/// <param name="KvDtype">KV cache dtype. Default the weights dtype.</param>
/// <param name="MaxContext">Longest context a session reaches, in tokens; null means the model's maximum.</param>
/// <param name="Concurrency">Sessions per worker. Default 1.</param>
public sealed record ModelSpec(
    string Config, string Dtype = "bf16", string? KvDtype = null, int? MaxContext = null, int Concurrency = 1);

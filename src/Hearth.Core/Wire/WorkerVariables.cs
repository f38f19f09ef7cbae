namespace Hearth.Core.Wire;

/// <summary>
/// The names of the environment variables a worker process is started with — Runpod's, so runpod-python workers run
/// unchanged, and Hearth's own. One list: the control plane and node agents write them
/// (<see cref="WorkerEnvironment"/>), the .NET worker SDK reads them.
/// </summary>
public static class WorkerVariables
{
    /// <summary>The job-take URL, <c>…/v2/{endpoint}/job-take/$ID?</c> (runpod-python substitutes
    /// <c>$ID</c>).</summary>
    public const string GetJob = "RUNPOD_WEBHOOK_GET_JOB";

    /// <summary>The job-done URL, <c>…/v2/{endpoint}/job-done/$RUNPOD_POD_ID/$ID?</c>.</summary>
    public const string PostOutput = "RUNPOD_WEBHOOK_POST_OUTPUT";

    /// <summary>The job-stream URL, <c>…/v2/{endpoint}/job-stream/$RUNPOD_POD_ID/$ID?</c>.</summary>
    public const string PostStream = "RUNPOD_WEBHOOK_POST_STREAM";

    /// <summary>The heartbeat URL, <c>…/v2/{endpoint}/ping/$RUNPOD_POD_ID</c>.</summary>
    public const string Ping = "RUNPOD_WEBHOOK_PING";

    /// <summary>The worker's id.</summary>
    public const string PodId = "RUNPOD_POD_ID";

    /// <summary>The worker token, sent as the bearer of every worker request.</summary>
    public const string ApiKey = "RUNPOD_AI_API_KEY";

    /// <summary>The endpoint's name.</summary>
    public const string EndpointId = "RUNPOD_ENDPOINT_ID";

    /// <summary>The heartbeat interval in ms.</summary>
    public const string PingInterval = "RUNPOD_PING_INTERVAL";

    /// <summary>Set to <c>true</c>: runpod-python skips its GPU and system probes (offline hosts).</summary>
    public const string SkipSystemChecks = "RUNPOD_SKIP_AUTO_SYSTEM_CHECKS";

    /// <summary>Runpod's network-volume mount path.</summary>
    public const string RunpodVolumePath = "RUNPOD_VOLUME_PATH";

    /// <summary>The job lease in ms: a worker that holds a job longer without renewing loses it.</summary>
    public const string LeaseMs = "HEARTH_LEASE_MS";

    /// <summary>How many jobs one worker runs at once.</summary>
    public const string Concurrency = "HEARTH_WORKER_CONCURRENCY";

    /// <summary>The most journaled steps one session may record.</summary>
    public const string MaxSteps = "HEARTH_MAX_STEPS";

    /// <summary>The control plane's <c>/v2</c> base URL, for calls to other endpoints.</summary>
    public const string ApiUrl = "HEARTH_API_URL";

    /// <summary>The client key a worker's calls to other endpoints use.</summary>
    public const string CallKey = "HEARTH_CALL_KEY";

    /// <summary>The node agent running the worker (cluster mode).</summary>
    public const string Node = "HEARTH_NODE";

    /// <summary>The endpoint's volume, mounted on this host.</summary>
    public const string VolumePath = "HEARTH_VOLUME_PATH";

    /// <summary>The cards the worker may use, by index; empty for CPU workers.</summary>
    public const string CudaVisibleDevices = "CUDA_VISIBLE_DEVICES";

    /// <summary>The names of the cards in <see cref="CudaVisibleDevices"/>, in the same order.</summary>
    public const string Gpus = "HEARTH_GPUS";

    /// <summary><c>cpu</c> when a GPU endpoint runs on the CPU because the host has no card (dev only).</summary>
    public const string GpuFallback = "HEARTH_GPU_FALLBACK";

    /// <summary><c>push</c> when the endpoint's <c>command:</c> runs behind the push bridge
    /// (<c>protocol: push</c>).</summary>
    public const string Protocol = "HEARTH_WORKER_PROTOCOL";

    /// <summary>The bridge's user command (<c>protocol: push</c>): the bridge runs it as its child.</summary>
    public const string BridgeCommand = "HEARTH_BRIDGE_COMMAND";

    /// <summary>The runpod-python SDK serves its realtime API on this port instead of pulling (push mode).</summary>
    public const string RealtimePort = "RUNPOD_REALTIME_PORT";
}

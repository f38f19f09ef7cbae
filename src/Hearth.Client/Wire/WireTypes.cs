using System.Text.Json;

namespace Hearth.Client.Wire;

/// <summary>Body of <c>/run</c> and <c>/runsync</c>; input and s3Config are pre-serialized with the caller's
/// options.</summary>
internal sealed record RunRequestWire(JsonElement Input, string? Webhook, PolicyWire? Policy, JsonElement? S3Config);

/// <summary>A <c>/runbatch</c> body: one <c>/run</c> body per item.</summary>
internal sealed record BatchRequestWire(List<RunRequestWire> Jobs);

/// <summary>A <c>/runbatch</c> answer: each item's outcome, in order.</summary>
internal sealed record BatchResponseWire(List<BatchItemWire> Jobs);

/// <summary>One item's outcome: an id and status, or an error with its hint and HTTP-like code.</summary>
internal sealed record BatchItemWire(
    string? Id, string? Status, bool? Replayed, string? Error, string? Hint, int? Code);

/// <summary>The <c>policy</c> object, in whole milliseconds.</summary>
internal sealed record PolicyWire(long? ExecutionTimeout, long? Ttl, bool? LowPriority);

/// <summary><c>{id, status}</c> and the full status body; output stays raw until the caller's type reads it.</summary>
internal sealed record StatusWire(string? Id, string? Status, long? DelayTime, long? ExecutionTime, string? WorkerId,
    JsonElement? Output, JsonElement? Error);

/// <summary>The <c>/stream</c> answer: only chunks not returned before.</summary>
internal sealed record StreamWire(string? Id, string? Status, long? DelayTime, List<StreamChunkWire>? Stream);

/// <summary>One element of <c>stream</c>.</summary>
internal sealed record StreamChunkWire(JsonElement? Output);

/// <summary>The <c>/purge-queue</c> answer.</summary>
internal sealed record PurgeWire(long Removed, string? Status);

/// <summary>The <c>/health</c> answer.</summary>
internal sealed record HealthWire(HealthJobsWire? Jobs, HealthWorkersWire? Workers);

/// <summary>The <c>jobs</c> counters of <c>/health</c>.</summary>
internal sealed record HealthJobsWire(long Completed, long Failed, long InProgress, long InQueue, long Retried);

/// <summary>The <c>workers</c> counters of <c>/health</c>.</summary>
internal sealed record HealthWorkersWire(
    long Idle, long Initializing, long Ready, long Running, long Throttled, long Unhealthy);

/// <summary>Hearth's error body <c>{"error", "hint"}</c>; Runpod may send other shapes, so both stay raw.</summary>
internal sealed record ErrorWire(JsonElement? Error, JsonElement? Hint);

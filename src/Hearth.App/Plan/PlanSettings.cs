namespace Hearth.App.Plan;

/// <summary>What <c>hearth plan</c> was asked.</summary>
internal sealed record PlanSettings
{
    /// <summary>Path to the model's <c>config.json</c> (or its folder).</summary>
    public required string Model { get; init; }

    /// <summary>Weights dtype. Default bf16.</summary>
    public string Dtype { get; init; } = "bf16";

    /// <summary>KV cache dtype. Default: the weights dtype.</summary>
    public string? KvDtype { get; init; }

    /// <summary>Longest context a session reaches. Default: the model's <c>max_position_embeddings</c>.</summary>
    public int? Context { get; init; }

    /// <summary>Sessions per worker. Default 1.</summary>
    public int Concurrency { get; init; } = 1;

    /// <summary>Output format: <c>text</c> (a table, the default) or <c>json</c>.</summary>
    public string Format { get; init; } = PlanCommand.TextFormat;

    /// <summary>Optional price table (GPU id → $/h), JSON or YAML. Default none.</summary>
    public string? Prices { get; init; }
}

namespace Hearth.Core.Lint;

/// <summary>What the linter knows beyond the endpoint definitions themselves.</summary>
public sealed record LintContext
{
    /// <summary>
    /// True when traces leave the process: <c>hearth.yaml</c>'s <c>tracing.otlp_endpoint</c> or the
    /// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> variable is set. Default false.
    /// </summary>
    public bool TracingConfigured { get; init; }

    /// <summary>Directory that relative paths (a model's <c>config.json</c>) are resolved against. Default: the current
    /// directory.</summary>
    public string BaseDirectory { get; init; } = Directory.GetCurrentDirectory();

    /// <summary>Name of the endpoint list in finding paths. Default <c>endpoints</c> (paths read
    /// <c>endpoints[2].gpu</c>).</summary>
    public string PathPrefix { get; init; } = "endpoints";
}

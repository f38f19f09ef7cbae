using Hearth.Core.Endpoints;

namespace Hearth.App.Config;

/// <summary>What <see cref="HearthYaml"/> read from a <c>hearth.yaml</c>.</summary>
/// <param name="Endpoints">The endpoints that could be read, in file order. Use them only when <see cref="Problems"/>
/// is empty.</param>
/// <param name="Problems">Every problem found: YAML syntax, unknown keys, wrong types and failed validation
/// rules.</param>
public sealed record HearthYamlResult(IReadOnlyList<EndpointSpec> Endpoints, IReadOnlyList<SpecProblem> Problems)
{
    /// <summary>True when the file had no problems.</summary>
    public bool IsValid => Problems.Count == 0;

    /// <summary>
    /// Where traces go: the top-level <c>tracing: { otlp_endpoint: ... }</c> setting, an absolute http(s) URL.
    /// Default null (no tracing declared in the file; <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> may still set it).
    /// </summary>
    public string? OtlpEndpoint { get; init; }
}

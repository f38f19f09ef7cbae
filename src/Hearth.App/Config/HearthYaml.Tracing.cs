using YamlDotNet.RepresentationModel;

namespace Hearth.App.Config;

/// <summary>The top-level <c>tracing:</c> block of <c>hearth.yaml</c>.</summary>
public static partial class HearthYaml
{
    /// <summary>The environment variable that configures tracing when the file does not (the OpenTelemetry
    /// standard).</summary>
    public const string OtlpEndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    private static readonly IReadOnlyList<string> TracingKeys = ["otlp_endpoint"];

    private static string? ReadTracing(YamlNode node, YamlReader reader)
    {
        if (YamlReader.IsNull(node)
            || reader.Mapping(node, "tracing", "{otlp_endpoint: http://localhost:4317}") is not { } map)
        {
            return null;
        }

        string? endpoint = null;
        foreach (var (key, value) in reader.Entries(map, "tracing", TracingKeys))
        {
            var at = $"tracing.{key}";
            if (YamlReader.IsNull(value) || reader.Text(value, at, "http://localhost:4317") is not { } text)
            {
                continue;
            }

            if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
            {
                endpoint = text;
            }
            else
            {
                reader.Report(at, value, "otlp_endpoint must be an absolute http(s) URL",
                    "write the collector's OTLP address, e.g. http://localhost:4317.");
            }
        }

        return endpoint;
    }
}

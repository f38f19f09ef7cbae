using Hearth.App.Config;
using Hearth.Core.Endpoints;

namespace Hearth.App.Tests.Config;

public sealed class HearthYamlLatencyTracingTests
{
    [Theory]
    [InlineData("realtime", EndpointLatency.Realtime)]
    [InlineData("Real-Time", EndpointLatency.Realtime)]
    [InlineData("interactive", EndpointLatency.Interactive)]
    [InlineData("batch", EndpointLatency.Batch)]
    public void Latency_is_read(string written, EndpointLatency expected)
    {
        var result = HearthYaml.Load($"endpoints:\n  - name: agent\n    latency: {written}\n", "hearth.yaml");
        Assert.Empty(result.Problems);
        Assert.Equal(expected, Assert.Single(result.Endpoints).Latency);
    }

    [Fact]
    public void Latency_defaults_to_interactive() =>
        Assert.Equal(EndpointLatency.Interactive, Assert.Single(HearthYaml.Load("endpoints:\n  - name: agent\n", "hearth.yaml").Endpoints).Latency);

    [Fact]
    public void An_unknown_latency_suggests_the_closest()
    {
        var problem = Assert.Single(HearthYaml.Load("endpoints:\n  - name: agent\n    latency: realtim\n", "hearth.yaml").Problems);
        Assert.Equal("endpoints[0].latency", problem.Path);
        Assert.Contains("did you mean 'realtime'?", problem.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void Tracing_otlp_endpoint_is_read()
    {
        var result = HearthYaml.Load("tracing:\n  otlp_endpoint: http://collector:4317\nendpoints:\n  - name: agent\n", "hearth.yaml");
        Assert.Empty(result.Problems);
        Assert.Equal("http://collector:4317", result.OtlpEndpoint);
    }

    [Fact]
    public void Without_tracing_the_endpoint_is_null() =>
        Assert.Null(HearthYaml.Load("endpoints:\n  - name: agent\n", "hearth.yaml").OtlpEndpoint);

    [Theory]
    [InlineData("tracing:\n  otlp_endpoint: collector:4317\n", "tracing.otlp_endpoint", "absolute http(s) URL")]
    [InlineData("tracing:\n  otlp: http://c:4317\n", "tracing.otlp", "unknown key")]
    [InlineData("tracing: yes\n", "tracing", "expected a mapping")]
    public void Bad_tracing_settings_are_reported(string tracing, string path, string message)
    {
        var result = HearthYaml.Load(tracing + "endpoints:\n  - name: agent\n", "hearth.yaml");
        var problem = Assert.Single(result.Problems);
        Assert.Equal(path, problem.Path);
        Assert.Contains(message, problem.Message, StringComparison.Ordinal);
        Assert.Null(result.OtlpEndpoint);
    }
}

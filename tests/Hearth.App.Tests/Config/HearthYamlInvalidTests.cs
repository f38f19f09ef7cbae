using Hearth.App.Config;

namespace Hearth.App.Tests.Config;

/// <summary>One kind of mistake per case: each must be reported at the right path with a telling message.</summary>
public sealed class HearthYamlInvalidTests
{
    [Theory]
    // YAML syntax: an unclosed quote.
    [InlineData("endpoints:\n  - name: \"agent\n    gpu: any\n", "hearth.yaml:", "YAML syntax error at line")]
    // YAML syntax: a tab used for indentation.
    [InlineData("endpoints:\n\t- name: agent\n", "hearth.yaml:", "found invalid tab")]
    // YAML syntax: the same key twice in one endpoint.
    [InlineData("endpoints:\n  - name: a\n    name: b\n", "hearth.yaml:3:5", "Duplicate key name")]
    // Unknown key with a suggestion.
    [InlineData("endpoints:\n  - name: agent\n    gpus: any\n", "endpoints[0].gpus", "unknown key (line 3)")]
    // Unknown top-level key.
    [InlineData("endpoint:\n  - name: agent\n", "endpoint", "unknown key")]
    // Wrong type for workers.
    [InlineData("endpoints:\n  - name: agent\n    workers: \"lots\"\n", "endpoints[0].workers", "expected [min, max] or a number of workers")]
    // Wrong type for a number.
    [InlineData("endpoints:\n  - name: agent\n    gpu: any\n    gpu_count: two\n", "endpoints[0].gpu_count", "expected a number of GPUs")]
    // Wrong type for a boolean.
    [InlineData("endpoints:\n  - name: agent\n    flashboot: maybe\n", "endpoints[0].flashboot", "expected true or false")]
    // Missing name.
    [InlineData("endpoints:\n  - gpu: any\n", "endpoints[0].name", "endpoint has no name")]
    // Name with invalid characters.
    [InlineData("endpoints:\n  - name: My Agent\n", "endpoints[0].name", "lowercase letters")]
    // Duplicate names.
    [InlineData("endpoints:\n  - name: agent\n  - name: agent\n", "endpoints[1].name", "already used by endpoints[0]")]
    // workers min > max.
    [InlineData("endpoints:\n  - name: agent\n    workers: [5, 2]\n", "endpoints[0].workers", "min is greater than max")]
    // Unknown GPU.
    [InlineData("endpoints:\n  - name: agent\n    gpu: A100\n", "endpoints[0].gpu", "unknown GPU type or pool")]
    // Unknown GPU inside a list.
    [InlineData("endpoints:\n  - name: agent\n    gpu: [AMPERE_80, TPU_V5]\n", "endpoints[0].gpu[1]", "unknown GPU type or pool")]
    // GPU and CPU together.
    [InlineData("endpoints:\n  - name: agent\n    gpu: any\n    cpu: cpu5c-4-8\n", "endpoints[0].cpu", "not both")]
    // Malformed CPU type.
    [InlineData("endpoints:\n  - name: agent\n    cpu: 4-cores\n", "endpoints[0].cpu", "cpu{gen}{class}-{vcpu}-{ram}")]
    // Well-formed but not offered CPU type.
    [InlineData("endpoints:\n  - name: agent\n    cpu: cpu5c-16-32\n", "endpoints[0].cpu", "no such CPU instance type")]
    // idle_timeout out of range.
    [InlineData("endpoints:\n  - name: agent\n    idle_timeout: 7200\n", "endpoints[0].idle_timeout", "1–3600 seconds")]
    // execution_timeout_ms given in seconds.
    [InlineData("endpoints:\n  - name: agent\n    execution_timeout_ms: 120\n", "endpoints[0].execution_timeout_ms", "milliseconds")]
    // ttl_ms too short.
    [InlineData("endpoints:\n  - name: agent\n    ttl_ms: 500\n", "endpoints[0].ttl_ms", "ttl_ms must be")]
    // scaler_value not positive.
    [InlineData("endpoints:\n  - name: agent\n    scaler_value: 0\n", "endpoints[0].scaler_value", "greater than 0")]
    // Unknown scaler type.
    [InlineData("endpoints:\n  - name: agent\n    scaler_type: FAST\n", "endpoints[0].scaler_type", "unknown scaler type")]
    // Load-balanced with QUEUE_DELAY.
    [InlineData("endpoints:\n  - name: agent\n    type: load_balanced\n    scaler_type: QUEUE_DELAY\n", "endpoints[0].scaler_type", "no queue")]
    // Unknown endpoint type.
    [InlineData("endpoints:\n  - name: agent\n    type: serverless\n", "endpoints[0].type", "unknown endpoint type")]
    // Unknown data center.
    [InlineData("endpoints:\n  - name: agent\n    datacenter: MARS-1\n", "endpoints[0].datacenter", "unknown data center")]
    // Volume too small.
    [InlineData("endpoints:\n  - name: agent\n    volume: {name: weights, size: 5}\n", "endpoints[0].volume.size", "10–4096 GB")]
    // Volume with no name.
    [InlineData("endpoints:\n  - name: agent\n    volume: {size: 50}\n", "endpoints[0].volume.name", "volume name is missing")]
    // Operator ceilings below the endpoint's own values.
    [InlineData("endpoints:\n  - name: agent\n    execution_timeout_ms: 600000\n    max_execution_timeout_ms: 60000\n", "endpoints[0].max_execution_timeout_ms", "at least the endpoint's own")]
    [InlineData("endpoints:\n  - name: agent\n    max_ttl_ms: 3600000\n", "endpoints[0].max_ttl_ms", "at least the endpoint's own ttl_ms")]
    // Volume names that would leave the volumes directory.
    [InlineData("endpoints:\n  - name: agent\n    volume: {name: ../etc, size: 50}\n", "endpoints[0].volume.name", "a volume name is")]
    [InlineData("endpoints:\n  - name: agent\n    volume: {name: .., size: 50}\n", "endpoints[0].volume.name", "a volume name is")]
    // Volume key typo.
    [InlineData("endpoints:\n  - name: agent\n    volume: {name: w, sise: 50}\n", "endpoints[0].volume.sise", "unknown key")]
    // Volume as a plain string.
    [InlineData("endpoints:\n  - name: agent\n    volume: weights\n", "endpoints[0].volume", "expected a mapping")]
    // Env key that is not an identifier.
    [InlineData("endpoints:\n  - name: agent\n    env: {MY-KEY: x}\n", "endpoints[0].env.MY-KEY", "environment variable names")]
    // Env value that is a list.
    [InlineData("endpoints:\n  - name: agent\n    env: {KEYS: [a, b]}\n", "endpoints[0].env.KEYS", "values must be text")]
    // Model without config and with a bad dtype.
    [InlineData("endpoints:\n  - name: agent\n    gpu: any\n    model: {dtype: fp12}\n", "endpoints[0].model.config", "model config is missing")]
    [InlineData("endpoints:\n  - name: agent\n    gpu: any\n    model: {config: c.json, dtype: fp12}\n", "endpoints[0].model.dtype", "unknown dtype")]
    // Empty command.
    [InlineData("endpoints:\n  - name: agent\n    command: \"\"\n", "endpoints[0].command", "command is empty")]
    // Health path without a slash.
    [InlineData("endpoints:\n  - name: agent\n    health_path: ping\n", "endpoints[0].health_path", "must start with '/'")]
    // Concurrency zero.
    [InlineData("endpoints:\n  - name: agent\n    concurrency: 0\n", "endpoints[0].concurrency", "at least 1")]
    // Runaway guard and session idle timeout out of range.
    [InlineData("endpoints:\n  - name: agent\n    max_steps: 0\n", "endpoints[0].max_steps", "max_steps must be 1")]
    [InlineData("endpoints:\n  - name: agent\n    session_idle_timeout: 60\n", "endpoints[0].session_idle_timeout", "must be 1800")]
    // endpoints is not a list.
    [InlineData("endpoints:\n  name: agent\n", "endpoints", "endpoints must be a list")]
    // An endpoint that is not a mapping.
    [InlineData("endpoints:\n  - agent\n", "endpoints[0]", "expected a mapping")]
    // A top-level list instead of a mapping.
    [InlineData("- name: agent\n", "hearth.yaml", "must be a mapping with an 'endpoints:' list")]
    // Empty file.
    [InlineData("", "endpoints", "declares no endpoints")]
    // Empty endpoints list.
    [InlineData("endpoints: []\n", "endpoints", "list is empty")]
    public void Each_kind_of_mistake_is_reported_at_its_path(string yaml, string path, string fragment)
    {
        var result = HearthYaml.Load(yaml, "hearth.yaml");

        Assert.False(result.IsValid);
        var problem = result.Problems.FirstOrDefault(p => p.Path.StartsWith(path, StringComparison.Ordinal) && (path.EndsWith(':') || p.Path == path));
        Assert.True(problem is not null, $"no problem at '{path}'; got:\n{string.Join("\n", result.Problems)}");
        Assert.Contains(fragment, problem.Message, StringComparison.Ordinal);
        Assert.False(string.IsNullOrWhiteSpace(problem.Fix));
    }

    [Fact]
    public void A_syntax_error_shows_the_offending_line()
    {
        var problem = Assert.Single(HearthYaml.Load("endpoints:\n  - name: agent\n    workers: [1, 2\n", "conf/hearth.yaml").Problems);
        Assert.StartsWith("conf/hearth.yaml:", problem.Path, StringComparison.Ordinal);
        Assert.DoesNotContain("Idx:", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_wrongly_typed_setting_is_reported_once()
    {
        var result = HearthYaml.Load("endpoints:\n  - name: [a, b]\n    workers: many\n", "hearth.yaml");
        Assert.Equal(["endpoints[0].name", "endpoints[0].workers"], result.Problems.Select(p => p.Path));
    }

    [Fact]
    public void Unknown_keys_suggest_the_closest_known_key()
    {
        var result = HearthYaml.Load("endpoints:\n  - name: agent\n    idle_timout: 30\n    execution_timeout: 5000\n", "hearth.yaml");
        Assert.Contains("did you mean 'idle_timeout'?", result.Problems[0].Fix, StringComparison.Ordinal);
        Assert.Contains("did you mean 'execution_timeout_ms'?", result.Problems[1].Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void Problems_read_as_one_line_with_value_and_fix()
    {
        var problem = Assert.Single(HearthYaml.Load("endpoints:\n  - name: agent\n    workers: [5, 2]\n", "hearth.yaml").Problems);
        Assert.Equal("endpoints[0].workers: [5, 2] — min is greater than max. Fix: make min ≤ max, e.g. [2, 5].", problem.ToString());
    }
}

using Hearth.Core.Endpoints;

namespace Hearth.Core.Tests.Endpoints;

public sealed class WorkerRulesTests
{
    private static readonly EndpointSpec Valid = new() { Name = "agent" };

    private static SpecProblem Single(EndpointSpec spec) => Assert.Single(EndpointSpecValidator.Validate([spec]));

    [Theory]
    [InlineData("", 100, "endpoints[0].volume.name")]
    [InlineData("weights", 9, "endpoints[0].volume.size")]
    [InlineData("weights", 4097, "endpoints[0].volume.size")]
    public void Volume_needs_a_name_and_a_size_of_10_to_4096(string name, int size, string path) =>
        Assert.Equal(path, Single(Valid with { Volume = new(name, size) }).Path);

    [Fact]
    public void Volume_datacenter_must_be_known() =>
        Assert.Equal("endpoints[0].volume.datacenter", Single(Valid with { Volume = new("w", 50, "nowhere") }).Path);

    [Theory]
    [InlineData("1ST")]
    [InlineData("MY-KEY")]
    [InlineData("")]
    public void Env_keys_must_be_identifiers(string key)
    {
        var problem = Single(Valid with { Env = new Dictionary<string, string> { [key] = "v", ["GOOD_KEY"] = "v" } });
        Assert.Equal($"endpoints[0].env.{key}", problem.Path);
    }

    [Fact]
    public void Model_needs_config_and_known_dtypes()
    {
        var problems = EndpointSpecValidator.Validate([Valid with { Model = new("", "fp1", "bf17", 0, 0) }]);
        Assert.Equal(
            ["endpoints[0].model.config", "endpoints[0].model.dtype", "endpoints[0].model.kv_dtype", "endpoints[0].model.max_context", "endpoints[0].model.concurrency"],
            problems.Select(p => p.Path));
        Assert.Contains("'fp16'", problems[1].Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void A_full_model_is_valid() =>
        Assert.Empty(EndpointSpecValidator.Validate([Valid with { Model = new("models/llama/config.json", "fp8", "fp8", 32768, 4) }]));

    [Fact]
    public void Command_must_not_be_blank() => Assert.Equal("endpoints[0].command", Single(Valid with { Command = "  " }).Path);

    [Fact]
    public void Health_path_must_start_with_a_slash()
    {
        var problem = Single(Valid with { HealthPath = "healthz" });
        Assert.Equal("endpoints[0].health_path", problem.Path);
        Assert.Contains("'/healthz'", problem.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void Problem_without_a_value_omits_it() =>
        Assert.Equal("endpoints[0].name — name is missing. Fix: add it.", new SpecProblem("endpoints[0].name", null, "name is missing", "add it.").ToString());
}

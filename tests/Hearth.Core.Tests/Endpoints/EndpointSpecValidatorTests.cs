using Hearth.Core.Endpoints;

namespace Hearth.Core.Tests.Endpoints;

public sealed class EndpointSpecValidatorTests
{
    private static readonly EndpointSpec Valid = new() { Name = "agent" };

    private static SpecProblem Single(EndpointSpec spec)
    {
        var problems = EndpointSpecValidator.Validate([spec]);
        return Assert.Single(problems);
    }

    [Fact]
    public void A_default_endpoint_is_valid() => Assert.Empty(EndpointSpecValidator.Validate([Valid]));

    [Fact]
    public void The_seed_endpoints_are_valid()
    {
        EndpointSpec[] specs =
        [
            new()
            {
                Name = "agent-orchestrator", Gpu = ["NVIDIA A100 80GB PCIe"], Datacenter = "US-GA-2", WorkersMin = 3, WorkersMax = 20,
                IdleTimeout = TimeSpan.FromSeconds(1800), ExecutionTimeoutMs = 120_000, Volume = new("model-weights", 50, "US-GA-2"),
            },
            new() { Name = "web-retrieval", Cpu = "cpu5c-4-8", WorkersMax = 10, IdleTimeout = TimeSpan.FromSeconds(300) },
            new() { Name = "embedding-search", Gpu = ["NVIDIA GeForce RTX 4090"], WorkersMin = 1, WorkersMax = 10 },
        ];
        Assert.Empty(EndpointSpecValidator.Validate(specs));
    }

    [Theory]
    [InlineData("", "name is missing")]
    [InlineData("Agent", "lowercase")]
    [InlineData("-agent", "starting with a letter or digit")]
    [InlineData("my agent", "lowercase")]
    public void Bad_names_are_reported(string name, string fragment)
    {
        var problem = Single(Valid with { Name = name });
        Assert.Equal("endpoints[0].name", problem.Path);
        Assert.Contains(fragment, problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_64_character_name_is_accepted_and_65_is_not()
    {
        Assert.Empty(EndpointSpecValidator.Validate([Valid with { Name = new string('a', 64) }]));
        Assert.Equal("endpoints[0].name", Single(Valid with { Name = new string('a', 65) }).Path);
    }

    [Fact]
    public void Duplicate_names_point_at_the_first_use()
    {
        var problems = EndpointSpecValidator.Validate([Valid, Valid with { Name = "other" }, Valid]);
        var problem = Assert.Single(problems);
        Assert.Equal("endpoints[2].name", problem.Path);
        Assert.Contains("endpoints[0]", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Workers_min_above_max_reads_like_the_design()
    {
        var problem = Single(Valid with { WorkersMin = 5, WorkersMax = 2 });
        Assert.Equal("endpoints[0].workers: [5, 2] — min is greater than max. Fix: make min ≤ max, e.g. [2, 5].", problem.ToString());
    }

    [Theory]
    [InlineData(-1, 3, "min must be 0 or more")]
    [InlineData(0, 0, "max must be at least 1")]
    public void Workers_bounds_are_checked(int min, int max, string fragment)
    {
        var problem = Single(Valid with { WorkersMin = min, WorkersMax = max });
        Assert.Equal("endpoints[0].workers", problem.Path);
        Assert.Contains(fragment, problem.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3601)]
    public void Idle_timeout_outside_1_to_3600_seconds_is_reported(int seconds) =>
        Assert.Equal("endpoints[0].idle_timeout", Single(Valid with { IdleTimeout = TimeSpan.FromSeconds(seconds) }).Path);

    [Theory]
    [InlineData(0L, true)]
    [InlineData(5_000L, true)]
    [InlineData(604_800_000L, true)]
    [InlineData(120L, false)]
    [InlineData(604_800_001L, false)]
    [InlineData(-1L, false)]
    public void Execution_timeout_is_zero_or_5s_to_7_days(long ms, bool ok)
    {
        var problems = EndpointSpecValidator.Validate([Valid with { ExecutionTimeoutMs = ms }]);
        Assert.Equal(ok, problems.Count == 0);
    }

    [Fact]
    public void A_tiny_execution_timeout_hints_at_milliseconds() =>
        Assert.Contains("milliseconds", Single(Valid with { ExecutionTimeoutMs = 120 }).Message, StringComparison.Ordinal);

    [Theory]
    [InlineData(9_999L, false)]
    [InlineData(10_000L, true)]
    [InlineData(604_800_000L, true)]
    [InlineData(604_800_001L, false)]
    public void Ttl_is_10s_to_7_days(long ms, bool ok) =>
        Assert.Equal(ok, EndpointSpecValidator.Validate([Valid with { TtlMs = ms }]).Count == 0);

    [Theory]
    [InlineData(0)]
    [InlineData(-2)]
    [InlineData(double.NaN)]
    public void Scaler_value_must_be_positive(double value) =>
        Assert.Equal("endpoints[0].scaler_value", Single(Valid with { ScalerValue = value }).Path);

    [Fact]
    public void Load_balanced_endpoints_need_request_count()
    {
        Assert.Equal("endpoints[0].scaler_type", Single(Valid with { Type = EndpointType.LoadBalanced }).Path);
        Assert.Empty(EndpointSpecValidator.Validate([Valid with { Type = EndpointType.LoadBalanced, ScalerType = ScalerType.RequestCount }]));
    }

    [Fact]
    public void Concurrency_must_be_at_least_one() =>
        Assert.Equal("endpoints[0].concurrency", Single(Valid with { Concurrency = 0 }).Path);

    [Fact]
    public void Session_idle_defaults_to_twice_the_idle_timeout_and_at_least_30_minutes()
    {
        Assert.Equal(TimeSpan.FromMinutes(30), (Valid with { IdleTimeout = TimeSpan.FromSeconds(60) }).SessionIdle);
        Assert.Equal(TimeSpan.FromHours(1), (Valid with { IdleTimeout = TimeSpan.FromMinutes(30) }).SessionIdle);
        Assert.Equal(TimeSpan.FromHours(3), (Valid with { SessionIdleTimeout = TimeSpan.FromHours(3) }).SessionIdle);
        Assert.Equal("endpoints[0].max_steps", Single(Valid with { MaxSteps = 0 }).Path);
    }

    [Fact]
    public void Single_endpoint_overload_uses_the_given_path() =>
        Assert.Equal("api.workers", Assert.Single(EndpointSpecValidator.Validate(Valid with { WorkersMax = 0 }, "api")).Path);

    [Fact]
    public void Every_problem_is_reported_at_once()
    {
        var spec = new EndpointSpec
        {
            Name = "Bad Name", Gpu = ["A100"], Cpu = "cpu5c-4-8", WorkersMin = 4, WorkersMax = 2, IdleTimeout = TimeSpan.Zero,
            ScalerValue = 0, Datacenter = "mars-1", HealthPath = "ping",
        };
        var paths = EndpointSpecValidator.Validate([Valid, spec]).Select(p => p.Path).ToList();
        Assert.Equal(
            ["endpoints[1].name", "endpoints[1].cpu", "endpoints[1].gpu", "endpoints[1].datacenter", "endpoints[1].workers",
             "endpoints[1].idle_timeout", "endpoints[1].scaler_value", "endpoints[1].health_path"],
            paths);
    }
}

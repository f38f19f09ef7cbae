using Hearth.Core.Endpoints;

namespace Hearth.Core.Tests.Endpoints;

public sealed class ComputeRulesTests
{
    private static readonly EndpointSpec Valid = new() { Name = "agent" };

    [Theory]
    [InlineData("NVIDIA A100 80GB PCIe")]
    [InlineData("AMPERE_80")]
    [InlineData("ADA_24")]
    [InlineData("any")]
    [InlineData("NVIDIA B200")]
    public void Known_gpu_names_are_accepted(string gpu) => Assert.Empty(EndpointSpecValidator.Validate([Valid with { Gpu = [gpu] }]));

    [Theory]
    [InlineData("NVIDIA A100 80GB", "NVIDIA A100 80GB PCIe")]
    [InlineData("RTX 4090", "NVIDIA GeForce RTX 4090")]
    [InlineData("AMPERE80", "AMPERE_80")]
    [InlineData("ampere_80", "AMPERE_80")]
    [InlineData("NVIDIA H100", "NVIDIA H100 80GB HBM3")]
    public void A_gpu_typo_suggests_the_closest_name(string gpu, string suggestion)
    {
        var problem = Assert.Single(EndpointSpecValidator.Validate([Valid with { Gpu = [gpu] }]));
        Assert.Equal("endpoints[0].gpu", problem.Path);
        Assert.Equal(gpu, problem.Value);
        Assert.Contains($"'{suggestion}'", problem.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void Gpu_lists_report_the_entry_index()
    {
        var problem = Assert.Single(EndpointSpecValidator.Validate([Valid with { Gpu = ["AMPERE_80", "TPU"] }]));
        Assert.Equal("endpoints[0].gpu[1]", problem.Path);
    }

    [Fact]
    public void Gpu_and_cpu_together_are_rejected()
    {
        var problem = Assert.Single(EndpointSpecValidator.Validate([Valid with { Gpu = ["any"], Cpu = "cpu5c-4-8" }]));
        Assert.Contains("not both", problem.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("cpu5c-4-8", null)]
    [InlineData("cpu3g-8-32", null)]
    [InlineData("cpu5c-4-16", "no such CPU instance type")]
    [InlineData("5c-4-8", "cpu{gen}{class}-{vcpu}-{ram}")]
    [InlineData("large", "cpu{gen}{class}-{vcpu}-{ram}")]
    public void Cpu_types_parse_and_are_offered(string cpu, string? fragment)
    {
        var problems = EndpointSpecValidator.Validate([Valid with { Cpu = cpu }]);
        if (fragment is null)
        {
            Assert.Empty(problems);
        }
        else
        {
            Assert.Contains(fragment, Assert.Single(problems).Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(0, "1–8")]
    [InlineData(9, "1–8")]
    public void Gpu_count_is_1_to_8(int count, string fragment) =>
        Assert.Contains(fragment, Assert.Single(EndpointSpecValidator.Validate([Valid with { Gpu = ["any"], GpuCount = count }])).Message, StringComparison.Ordinal);

    [Fact]
    public void Gpu_count_needs_a_gpu() =>
        Assert.Contains("only applies to GPU", Assert.Single(EndpointSpecValidator.Validate([Valid with { GpuCount = 2 }])).Message, StringComparison.Ordinal);

    [Theory]
    [InlineData("US-GA-2")]
    [InlineData("us_ga_2")]
    [InlineData("eu-ro-1")]
    [InlineData("EUR-NO-1")]
    public void Datacenters_match_ignoring_case_and_underscores(string dc) =>
        Assert.Empty(EndpointSpecValidator.Validate([Valid with { Datacenter = dc }]));

    [Fact]
    public void An_unknown_datacenter_suggests_a_close_one()
    {
        var problem = Assert.Single(EndpointSpecValidator.Validate([Valid with { Datacenter = "US-GA-3" }]));
        Assert.Equal("endpoints[0].datacenter", problem.Path);
        Assert.Contains("'US-GA-2'", problem.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void The_catalog_covers_every_pool_member_with_vram()
    {
        foreach (var (pool, members) in GpuCatalog.Pools)
        {
            Assert.NotEmpty(members);
            Assert.All(members, m => Assert.NotNull(GpuCatalog.FindType(m)));
            Assert.Equal(members.Count, GpuCatalog.Expand(pool).Count);
        }

        Assert.Equal(80, GpuCatalog.FindType("NVIDIA A100 80GB PCIe")!.VramGb);
        Assert.Equal(GpuCatalog.Types.Count, GpuCatalog.Expand("any").Count);
        Assert.Equal(GpuCatalog.Types.Count, GpuCatalog.Pools.Values.Sum(m => m.Count));
    }

    [Fact]
    public void Data_center_normalization_gives_the_canonical_id() => Assert.Equal("US-GA-2", DataCenters.Normalize("us_ga_2"));
}

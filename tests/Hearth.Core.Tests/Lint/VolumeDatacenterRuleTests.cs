using Hearth.Core.Endpoints;
using Hearth.Core.Lint;

namespace Hearth.Core.Tests.Lint;

public sealed class VolumeDatacenterRuleTests
{
    [Theory]
    [InlineData("US-GA-2", "US-GA-2")]
    [InlineData("us_ga_2", "US-GA-2")]
    [InlineData("EU-RO-1", null)]
    public void Same_data_center_or_none_on_the_volume_passes(string endpointDc, string? volumeDc) =>
        Assert.Empty(Lint.Rule("HL009", Lint.Clean with { Datacenter = endpointDc, Volume = new VolumeSpec("w", 50, volumeDc) }));

    [Fact]
    public void A_volume_in_another_data_center_is_an_error()
    {
        var finding = Lint.Single("HL009", Lint.Clean with { Datacenter = "EU-RO-1" });
        Assert.Equal(LintSeverity.Error, finding.Severity);
        Assert.Equal("endpoints[0].volume.datacenter", finding.Path);
    }

    [Fact]
    public void An_unplaced_endpoint_with_a_placed_volume_is_a_warning_to_pin_it()
    {
        var finding = Lint.Single("HL009", Lint.Clean with { Datacenter = null });
        Assert.Equal(LintSeverity.Warning, finding.Severity);
        Assert.Contains("datacenter: US-GA-2", finding.Fix, StringComparison.Ordinal);
    }
}

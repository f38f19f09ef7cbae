using Hearth.Core.Endpoints;

namespace Hearth.Core.Lint.Rules;

/// <summary>HL009: an endpoint with a network volume runs in the volume's data center (the seed pins both to
/// US-GA-2).</summary>
internal sealed class VolumeDatacenterRule : EndpointLintRule
{
    public override string Id => "HL009";

    public override string Name => "volume-datacenter";

    protected override void Check(EndpointSpec spec, string path, ICollection<LintFinding> findings)
    {
        if (spec.Volume?.Datacenter is not { } volumeDc)
        {
            return;
        }

        const string why = "a network volume can only be mounted by workers in its own data center; elsewhere they "
            + "start without their weights";
        if (spec.Datacenter is null)
        {
            Add(findings, LintSeverity.Warning, $"{path}.datacenter",
                $"the volume lives in {volumeDc} but the endpoint may be placed in any data center", why,
                $"pin the endpoint next to its volume: datacenter: {volumeDc}.");
        }
        else if (DataCenters.Normalize(spec.Datacenter) is { } endpointDc &&
            DataCenters.Normalize(volumeDc) is { } normalizedVolumeDc &&
            endpointDc != normalizedVolumeDc)
        {
            Add(findings, LintSeverity.Error, $"{path}.volume.datacenter",
                $"the volume lives in {volumeDc} but the endpoint runs in {spec.Datacenter}", why,
                $"put both in one data center, e.g. datacenter: {volumeDc} on the endpoint.");
        }
    }
}

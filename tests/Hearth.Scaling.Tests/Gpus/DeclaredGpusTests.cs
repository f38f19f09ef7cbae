using Hearth.Core.Placement;
using Hearth.Scaling.Gpus;

namespace Hearth.Scaling.Tests.Gpus;

public sealed class DeclaredGpusTests
{
    private const long GiB = 1L << 30;

    [Fact]
    public void The_issue_example_declares_six_cards_with_catalog_memory()
    {
        var gpus = DeclaredGpus.Parse("NVIDIA A100 80GB PCIe:2, NVIDIA GeForce RTX 4090:4");

        Assert.Equal(6, gpus.Count);
        Assert.Equal(new GpuDevice(0, "declared-0", "NVIDIA A100 80GB PCIe", 80 * GiB, 0), gpus[0]);
        Assert.Equal(new GpuDevice(1, "declared-1", "NVIDIA A100 80GB PCIe", 80 * GiB, 0), gpus[1]);
        Assert.All(gpus.Skip(2), g => Assert.Equal(("NVIDIA GeForce RTX 4090", 24 * GiB), (g.Name, g.TotalBytes)));
        Assert.Equal(["declared-2", "declared-3", "declared-4", "declared-5"], gpus.Skip(2).Select(g => g.Uuid));
    }

    [Fact]
    public void Names_match_ignoring_case_and_a_missing_count_is_one()
    {
        var gpus = DeclaredGpus.Parse("  nvidia h200 , NVIDIA B200 : 2 ");

        Assert.Equal(["NVIDIA H200", "NVIDIA B200", "NVIDIA B200"], gpus.Select(g => g.Name));
        Assert.Equal(141 * GiB, gpus[0].TotalBytes);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void An_empty_declaration_is_no_gpus(string spec) => Assert.Empty(DeclaredGpus.Parse(spec));

    [Fact]
    public void Every_bad_item_is_listed_with_a_fix()
    {
        var (gpus, problems) = DeclaredGpus.Read("RTX 4090:4, NVIDIA L4:0, AMPERE_80:2, NVIDIA A40:two, , NVIDIA A40:1");

        Assert.Empty(gpus);
        Assert.Equal(
            [
                "gpus item 1 'RTX 4090:4': unknown GPU type 'RTX 4090'; use a GPU type id from the catalog, e.g. 'NVIDIA GeForce RTX 4090:4'. Did you mean 'NVIDIA GeForce RTX 4090'?",
                "gpus item 2 'NVIDIA L4:0': count '0' must be a whole number of at least 1, e.g. 'NVIDIA L4:2'.",
                "gpus item 3 'AMPERE_80:2': 'AMPERE_80' is a pool, not a GPU type; declare the cards themselves, e.g. 'NVIDIA A100 80GB PCIe:2'.",
                "gpus item 4 'NVIDIA A40:two': count 'two' must be a whole number of at least 1, e.g. 'NVIDIA A40:2'.",
                "gpus item 5 '': empty; remove the extra comma",
            ],
            problems);
    }

    [Fact]
    public void Parse_throws_with_every_problem()
    {
        var error = Assert.Throws<FormatException>(() => DeclaredGpus.Parse("TPU v5:1, NVIDIA H100:2"));

        Assert.Contains("gpus item 1 'TPU v5:1': unknown GPU type 'TPU v5'", error.Message, StringComparison.Ordinal);
        Assert.Contains("gpus item 2 'NVIDIA H100:2'", error.Message, StringComparison.Ordinal);
        Assert.Contains("Did you mean 'NVIDIA H100 80GB HBM3'?", error.Message, StringComparison.Ordinal);
    }
}

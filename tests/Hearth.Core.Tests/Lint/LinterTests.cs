using Hearth.Core.Endpoints;
using Hearth.Core.Lint;

namespace Hearth.Core.Tests.Lint;

public sealed class LinterTests
{
    [Fact]
    public void The_seed_orchestrator_passes_every_rule() => Assert.Empty(Linter.Run([Lint.Clean], Lint.Traced));

    [Fact]
    public void Rule_ids_and_names_are_unique_and_in_order()
    {
        var ids = Linter.Rules.Select(r => r.Id).ToList();
        Assert.Equal(ids.Distinct().Count(), ids.Count);
        Assert.Equal(ids.Order(StringComparer.Ordinal), ids);
        Assert.Equal(Linter.Rules.Count, Linter.Rules.Select(r => r.Name).Distinct().Count());
    }

    [Fact]
    public void Findings_come_endpoint_by_endpoint_with_file_wide_ones_last()
    {
        EndpointSpec broken = Lint.Clean with { Gpu = ["any"], ExecutionTimeoutMs = null };
        var findings = Linter.Run([broken, broken with { Name = "b" }], new LintContext());
        Assert.Equal(
            ["endpoints[0].gpu", "endpoints[0].execution_timeout_ms", "endpoints[1].gpu", "endpoints[1].execution_timeout_ms", "tracing"],
            findings.Select(f => f.Path));
    }

    [Fact]
    public void A_finding_reads_as_one_line_with_severity_id_path_why_and_fix()
    {
        var finding = new LintFinding("HL003", LintSeverity.Error, "endpoints[0].execution_timeout_ms", "no ceiling", "a hung job pins a worker.", "set it.");
        Assert.Equal("ERROR HL003 endpoints[0].execution_timeout_ms: no ceiling — a hung job pins a worker. Fix: set it.", finding.ToString());
    }

    [Theory]
    [InlineData("endpoints[12].gpu", 12)]
    [InlineData("tracing", null)]
    [InlineData("endpoints", null)]
    public void Endpoint_index_comes_from_the_path(string path, int? expected) => Assert.Equal(expected, Linter.EndpointIndexOf(path));

    [Fact]
    public void Docs_list_every_rule()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Hearth.sln")))
        {
            dir = dir.Parent;
        }

        Assert.NotNull(dir);
        var docs = File.ReadAllText(Path.Combine(dir.FullName, "docs", "lint.md"));
        Assert.All(Linter.Rules, r => Assert.Contains($"## {r.Id} {r.Name}", docs, StringComparison.Ordinal));
    }
}

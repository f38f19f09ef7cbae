using Hearth.Core.Lint;

namespace Hearth.Core.Tests.Lint;

public sealed class TracingRuleTests
{
    [Fact]
    public void Configured_tracing_passes() => Assert.Empty(Lint.Rule("HL007", Lint.Clean, Lint.Traced));

    [Fact]
    public void No_tracing_is_one_file_wide_warning_however_many_endpoints()
    {
        var findings = Lint.Rule("HL007", [Lint.Clean, Lint.Clean with { Name = "b" }], new LintContext());
        var finding = Assert.Single(findings);
        Assert.Equal(LintSeverity.Warning, finding.Severity);
        Assert.Equal("tracing", finding.Path);
        Assert.Contains("OTEL_EXPORTER_OTLP_ENDPOINT", finding.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void No_endpoints_no_finding() => Assert.Empty(Lint.Rule("HL007", [], new LintContext()));
}

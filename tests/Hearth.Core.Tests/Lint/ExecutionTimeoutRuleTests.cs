using Hearth.Core.Lint;

namespace Hearth.Core.Tests.Lint;

public sealed class ExecutionTimeoutRuleTests
{
    [Fact]
    public void A_declared_timeout_passes() => Assert.Empty(Lint.Rule("HL003", Lint.Clean with { ExecutionTimeoutMs = 30_000 }));

    [Fact]
    public void No_timeout_is_a_warning_about_the_platform_default()
    {
        var finding = Lint.Single("HL003", Lint.Clean with { ExecutionTimeoutMs = null });
        Assert.Equal(LintSeverity.Warning, finding.Severity);
        Assert.Equal("endpoints[0].execution_timeout_ms", finding.Path);
        Assert.Contains("600 s", finding.Message, StringComparison.Ordinal);
        Assert.Contains("execution_timeout_ms:", finding.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void Zero_is_an_error_no_ceiling()
    {
        var finding = Lint.Single("HL003", Lint.Clean with { ExecutionTimeoutMs = 0 });
        Assert.Equal(LintSeverity.Error, finding.Severity);
        Assert.Contains("no ceiling", finding.Message, StringComparison.Ordinal);
        Assert.Contains("pins a worker forever", finding.Why, StringComparison.Ordinal);
    }
}

using System.Text.Json;
using Hearth.App.Lint;

namespace Hearth.App.Tests.Lint;

public sealed class LintCommandTests : IDisposable
{
    private static readonly Func<string, string?> NoEnvironment = _ => null;
    private readonly string _dir = Directory.CreateTempSubdirectory("hearth-lint-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task The_seed_configuration_passes_with_no_findings()
    {
        var (exit, text) = await Run(SeedYaml.Production, "text");
        Assert.Equal(0, exit);
        Assert.Contains("agent-orchestrator (endpoints[0]): ok", text, StringComparison.Ordinal);
        Assert.Contains("embedding-search (endpoints[2]): ok", text, StringComparison.Ordinal);
        Assert.Contains("0 errors, 0 warnings", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_broken_configuration_reports_each_mistake_with_its_rule_path_and_fix()
    {
        var (exit, text) = await Run(SeedYaml.Broken, "text");
        Assert.Equal(1, exit);
        Assert.Contains("ERROR HL001 endpoints[0].gpu: gpu is 'any'", text, StringComparison.Ordinal);
        Assert.Contains("ERROR HL002 endpoints[0].workers:", text, StringComparison.Ordinal);
        Assert.Contains("Fix: set workers: [3, 20]", text, StringComparison.Ordinal);
        Assert.Contains("WARNING HL003 endpoints[0].execution_timeout_ms:", text, StringComparison.Ordinal);
        Assert.Contains("ERROR HL003 endpoints[1].execution_timeout_ms:", text, StringComparison.Ordinal);
        Assert.Contains("ERROR HL005 endpoints[0].env.OPENAI_API_KEY:", text, StringComparison.Ordinal);
        Assert.Contains("Fix: reference it: OPENAI_API_KEY: ${OPENAI_API_KEY}", text, StringComparison.Ordinal);
        Assert.DoesNotContain(SeedYaml.InlineKey, text, StringComparison.Ordinal);
        Assert.Contains("4 errors, 1 warning", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_command_in_exec_form_lints_clean()
    {
        var (exit, text) = await Run("""
            endpoints:
              - name: tools
                cpu: cpu3c-1-2
                workers: [1, 2]
                execution_timeout_ms: 60000
                command: ["python3", "-u", "worker.py"]
            """, "text");
        Assert.True(exit == 0, text);
        Assert.Contains("tools (endpoints[0]): ok", text, StringComparison.Ordinal);
        Assert.Contains("0 errors", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Json_carries_the_same_findings_as_text()
    {
        var (exit, json) = await Run(SeedYaml.Broken, "json");
        Assert.Equal(1, exit);
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        Assert.Equal(4, root.GetProperty("errors").GetInt32());
        Assert.Equal(1, root.GetProperty("warnings").GetInt32());
        var findings = root.GetProperty("findings").EnumerateArray().ToList();
        Assert.Equal(
            ["HL001 endpoints[0].gpu", "HL002 endpoints[0].workers", "HL003 endpoints[0].execution_timeout_ms",
             "HL005 endpoints[0].env.OPENAI_API_KEY", "HL003 endpoints[1].execution_timeout_ms"],
            findings.Select(f => $"{f.GetProperty("ruleId").GetString()} {f.GetProperty("path").GetString()}"));
        var key = findings[3];
        Assert.Equal("error", key.GetProperty("severity").GetString());
        Assert.Equal("agent-orchestrator", key.GetProperty("endpoint").GetString());
        Assert.Contains("${OPENAI_API_KEY}", key.GetProperty("fix").GetString(), StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(key.GetProperty("why").GetString()));
        Assert.DoesNotContain(SeedYaml.InlineKey, json, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tracing_counts_from_the_environment_variable_and_is_a_warning_without_it()
    {
        var untraced = SeedYaml.Production.Replace("tracing:\n  otlp_endpoint: http://localhost:4317\n", string.Empty, StringComparison.Ordinal);
        var (exit, text) = await Run(untraced, "text");
        Assert.Equal(0, exit);
        Assert.Contains("WARNING HL007 tracing:", text, StringComparison.Ordinal);
        Assert.Contains("0 errors, 1 warning", text, StringComparison.Ordinal);

        (_, text) = await Run(untraced, "text", name => name == "OTEL_EXPORTER_OTLP_ENDPOINT" ? "http://otel:4317" : null);
        Assert.DoesNotContain("HL007", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Load_problems_are_errors_with_their_paths_and_no_rules_run()
    {
        var (exit, text) = await Run("endpoints:\n  - name: agent\n    gpu: any\n    latncy: realtime\n", "text");
        Assert.Equal(1, exit);
        Assert.Contains("ERROR HL000 endpoints[0].latncy: unknown key", text, StringComparison.Ordinal);
        Assert.Contains("did you mean 'latency'?", text, StringComparison.Ordinal);
        Assert.DoesNotContain("HL001", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_file_is_an_error()
    {
        using var output = new StringWriter();
        var exit = await LintCommand.RunAsync(Path.Combine(_dir, "nope.yaml"), "text", output, NoEnvironment, CancellationToken.None);
        Assert.Equal(1, exit);
        Assert.Contains("ERROR HL000", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("file not found", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_folder_means_its_hearth_yaml()
    {
        await File.WriteAllTextAsync(Path.Combine(_dir, "hearth.yaml"), SeedYaml.Production);
        using var output = new StringWriter();
        Assert.Equal(0, await LintCommand.RunAsync(_dir, "text", output, NoEnvironment, CancellationToken.None));
    }

    [Fact]
    public async Task The_command_parses_path_and_format()
    {
        var file = Path.Combine(_dir, "hearth.yaml");
        await File.WriteAllTextAsync(file, SeedYaml.Broken);
        var command = LintCommand.Create();
        Assert.Equal("lint", command.Name);
        Assert.Empty(command.Parse([file, "--format", "json"]).Errors);
        Assert.NotEmpty(command.Parse([file, "--format", "xml"]).Errors);
        Assert.Empty(command.Parse([]).Errors);
    }

    private async Task<(int Exit, string Output)> Run(string yaml, string format, Func<string, string?>? environment = null)
    {
        var file = Path.Combine(_dir, "hearth.yaml");
        await File.WriteAllTextAsync(file, yaml);
        using var output = new StringWriter();
        var exit = await LintCommand.RunAsync(file, format, output, environment ?? NoEnvironment, CancellationToken.None);
        return (exit, output.ToString());
    }
}

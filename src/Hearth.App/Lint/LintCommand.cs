using System.CommandLine;
using Hearth.App.Config;
using Hearth.Core.Endpoints;
using Hearth.Core.Lint;

namespace Hearth.App.Lint;

/// <summary><c>hearth lint</c>: checks a <c>hearth.yaml</c> against the seed's production checklist
/// (docs/lint.md).</summary>
internal static class LintCommand
{
    /// <summary>Rule id of a problem that stops the file from loading at all (YAML syntax, unknown key, invalid
    /// value).</summary>
    public const string LoadRuleId = "HL000";

    private const string LoadWhy = "the file does not load, so none of its endpoints can run";

    /// <summary>Builds the <c>lint</c> command.</summary>
    public static Command Create()
    {
        var path = new Argument<string>("path")
        {
            Description = "The hearth.yaml to check, or a folder holding one (default: ./hearth.yaml).",
            DefaultValueFactory = _ => HearthYaml.DefaultFileName,
            Arity = ArgumentArity.ZeroOrOne,
        };
        var format = new Option<string>("--format")
        {
            Description = "Output format: text or json.",
            DefaultValueFactory = _ => "text",
        };
        format.AcceptOnlyFromAmong("text", "json");
        var command = new Command("lint", """
            Check endpoint definitions against the production checklist: GPU pinned, warm workers for latency-sensitive
            endpoints, timeouts set, a volume for model weights, no secrets inline, health routes on load-balanced
            endpoints, tracing on. Every finding has a rule id, a path, why it matters and a fix (docs/lint.md).
            Exits 1 when there is any error, 0 otherwise.

            Examples:
              hearth lint
              hearth lint deploy/hearth.yaml --format json
            """) { path, format };
        command.SetAction((parse, ct) => RunAsync(parse.GetValue(path) ?? HearthYaml.DefaultFileName,
            parse.GetValue(format) ?? "text", Console.Out, ct));
        return command;
    }

    /// <summary>Lints a file and writes the report; the environment is the process's own.</summary>
    internal static Task<int> RunAsync(string path, string format, TextWriter output, CancellationToken ct) =>
        RunAsync(path, format, output, Environment.GetEnvironmentVariable, ct);

    /// <summary>Lints a file and writes the report.</summary>
    /// <param name="path">A hearth.yaml, or a folder holding one.</param>
    /// <param name="format"><c>text</c> or <c>json</c>.</param>
    /// <param name="output">Where the report goes.</param>
    /// <param name="environment">Reads an environment variable (for <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>).</param>
    /// <param name="ct">Cancels the write.</param>
    /// <returns>1 when any finding is an error, 2 for an unknown format, 0 otherwise.</returns>
    internal static async Task<int> RunAsync(
        string path, string format, TextWriter output, Func<string, string?> environment, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(environment);
        if (format is not ("text" or "json"))
        {
            await output.WriteLineAsync($"hearth lint: unknown format '{format}'; use text or json.".AsMemory(), ct)
                .ConfigureAwait(false);
            return 2;
        }

        var file = Directory.Exists(path) ? Path.Combine(path, HearthYaml.DefaultFileName) : path;
        var (specs, findings) = Lint(HearthYaml.LoadFile(file), environment,
            Path.GetDirectoryName(Path.GetFullPath(file)));
        var report = format == "json" ? LintReport.Json(file, specs, findings) : LintReport.Text(file, specs, findings);
        await output.WriteAsync(report.AsMemory(), ct).ConfigureAwait(false);
        await output.FlushAsync(ct).ConfigureAwait(false);
        return findings.Any(f => f.Severity == LintSeverity.Error) ? 1 : 0;
    }

    /// <summary>Lints what the loader read; load problems come back as <see cref="LoadRuleId"/> errors and stop the
    /// rules.</summary>
    internal static (IReadOnlyList<EndpointSpec> Specs, IReadOnlyList<LintFinding> Findings) Lint(
        HearthYamlResult loaded, Func<string, string?> environment, string? baseDirectory = null)
    {
        // A file with problems has endpoints full of defaults; linting those would report settings nobody wrote.
        if (!loaded.IsValid)
        {
            return (loaded.Endpoints, [.. loaded.Problems.Select(ToFinding)]);
        }

        var tracing = loaded.OtlpEndpoint is not null
            || !string.IsNullOrWhiteSpace(environment(HearthYaml.OtlpEndpointVariable));
        return (loaded.Endpoints, Linter.Run(loaded.Endpoints, new LintContext { TracingConfigured = tracing,
            BaseDirectory = baseDirectory ?? Directory.GetCurrentDirectory() }));
    }

    private static LintFinding ToFinding(SpecProblem problem)
    {
        var message = problem.Value is null
            ? problem.Message : $"{problem.Message.TrimEnd('.')} (found '{problem.Value}')";
        return new(LoadRuleId, LintSeverity.Error, problem.Path, message, LoadWhy, problem.Fix);
    }
}

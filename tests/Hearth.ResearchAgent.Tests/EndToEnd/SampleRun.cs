using System.Diagnostics;
using System.Text.Json;

namespace Hearth.ResearchAgent.Tests.EndToEnd;

/// <summary>One run of the built sample as a user runs it (a real process tree: control plane, workers, offline web), read back from its <c>--out</c> file.</summary>
internal sealed record SampleRun(JsonElement Report, string Output, string[] Executions)
{
    /// <summary>A fetch timeout shorter than the default 10 s keeps CI quick; the slow page still hangs 60 s.</summary>
    private const string FetchTimeoutMs = "3000";

    public JsonElement Answer => Report.GetProperty("answer");

    public IReadOnlyList<(string Source, string Kind)> Sources =>
        [.. Answer.GetProperty("sources").EnumerateArray().Select(s => (s.GetProperty("source").GetString()!, s.GetProperty("kind").GetString()!))];

    public static async Task<SampleRun> RunAsync(string question, params string[] flags)
    {
        var work = Directory.CreateTempSubdirectory("hearth-research-test-").FullName;
        var outFile = Path.Combine(work, "answer.json");
        var counter = Path.Combine(work, "executions");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = RepoRoot() };
        start.Environment["RESEARCH_EXECUTIONS"] = counter;
        start.Environment["RESEARCH_FETCH_TIMEOUT_MS"] = FetchTimeoutMs;
        foreach (var a in (string[])[SampleDll(), question, "--out", outFile, "--data", Path.Combine(work, "data"), .. flags])
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(150));
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"The sample did not finish in 150 s. Output:\n{await stdout}\n{await stderr}");
        }

        // Bounded too: a process left behind holding the sample's pipes would keep them open after it exits.
        var output = string.Concat(await Task.WhenAll(stdout, stderr).WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.True(process.ExitCode == 0, $"exit {process.ExitCode}:\n{output}");
        var report = JsonDocument.Parse(await File.ReadAllTextAsync(outFile)).RootElement.Clone();
        var executions = Directory.Exists(counter) ? Directory.GetFiles(counter, "*.txt").Select(File.ReadAllText).ToArray() : [];
        return new SampleRun(report, output, executions);
    }

    private static string SampleDll()
    {
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
        return Path.Combine(RepoRoot(), "samples", "ResearchAgent", "bin", configuration, "net10.0", "ResearchAgent.dll");
    }

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Hearth.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("Hearth.sln not found above " + AppContext.BaseDirectory);
    }
}

namespace ResearchAgent;

/// <summary>
/// Records real executions for the tests (a replayed step never gets here): one new file per execution in the folder
/// <c>RESEARCH_EXECUTIONS</c>, so workers in several processes never race on one file.
/// </summary>
internal static class ExecutionLog
{
    public static Task RecordAsync(string? folder, string line, CancellationToken cancellationToken)
    {
        if (folder is null)
        {
            return Task.CompletedTask;
        }

        Directory.CreateDirectory(folder);
        return File.WriteAllTextAsync(Path.Combine(folder, Guid.NewGuid().ToString("N") + ".txt"), line, cancellationToken);
    }
}

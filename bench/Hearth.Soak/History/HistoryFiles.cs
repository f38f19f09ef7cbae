namespace Hearth.Soak.History;

/// <summary>Reads a history back: every <c>*.jsonl</c> file of a directory (the soak's and each worker's), or one
/// merged file, ordered by time.</summary>
public static class HistoryFiles
{
    /// <summary>All events of the files under <paramref name="directory"/>, by time.</summary>
    public static IReadOnlyList<HistoryEvent> ReadDirectory(string directory) =>
        Order(Directory.EnumerateFiles(directory, "*.jsonl", SearchOption.AllDirectories).SelectMany(ReadLines));

    /// <summary>All events of one file, by time.</summary>
    public static IReadOnlyList<HistoryEvent> Read(string path) => Order(ReadLines(path));

    /// <summary>Writes <paramref name="events"/> as one file, one line each.</summary>
    public static void Write(string path, IEnumerable<HistoryEvent> events) =>
        File.WriteAllLines(path, events.Select(HistoryJson.Line));

    private static IEnumerable<HistoryEvent> ReadLines(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        while (reader.ReadLine() is { } line)
        {
            if (HistoryJson.Parse(line) is { } e)
            {
                yield return e;
            }
        }
    }

    private static List<HistoryEvent> Order(IEnumerable<HistoryEvent> events) => [.. events.OrderBy(e => e.T)];
}

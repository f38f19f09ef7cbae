using System.Text;

namespace Hearth.Soak.History;

/// <summary>The soak process's own part of the history (clients, receiver, injector), appended as it happens.</summary>
public sealed class HistoryLog : IDisposable
{
    private readonly StreamWriter _writer;
    private readonly Lock _gate = new();
    private readonly TimeProvider _time;

    /// <summary>Opens (appends to) <paramref name="path"/>.</summary>
    public HistoryLog(string path, TimeProvider time)
    {
        _time = time;
        _writer = new StreamWriter(new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite), new UTF8Encoding(false))
        {
            AutoFlush = true,
        };
    }

    /// <summary>Now, in Unix ms.</summary>
    public long Now => _time.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>Appends one event, stamped now unless it carries a time.</summary>
    public void Write(HistoryEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var line = HistoryJson.Line(e.T == 0 ? e with { T = Now } : e);
        lock (_gate)
        {
            _writer.WriteLine(line);
        }
    }

    /// <inheritdoc />
    public void Dispose() => _writer.Dispose();
}

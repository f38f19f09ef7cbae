using System.Text;
using Hearth.Soak.History;

namespace Hearth.Soak.Worker;

/// <summary>
/// This worker's own account of what it did, appended one line at a time to a file of its own: each line is in the
/// kernel before the call returns, so a <c>kill -9</c> loses at most the event it interrupted.
/// </summary>
internal sealed class EventLog : IDisposable
{
    private readonly FileStream _file;
    private readonly Lock _gate = new();

    public EventLog(string path, string workerId, int pid)
    {
        WorkerId = workerId;
        Pid = pid;
        _file = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite, bufferSize: 0);
    }

    public string WorkerId { get; }

    public int Pid { get; }

    public static long Now => TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>Appends an event, stamped with this worker's id and pid and the time unless already set.</summary>
    public void Write(HistoryEvent e)
    {
        var stamped = e with { Worker = e.Worker ?? WorkerId, Pid = e.Pid ?? Pid, T = e.T == 0 ? Now : e.T };
        var bytes = Encoding.UTF8.GetBytes(HistoryJson.Line(stamped) + "\n");
        lock (_gate)
        {
            _file.Write(bytes);
        }
    }

    public void Dispose() => _file.Dispose();
}

using System.Threading.Channels;
using Hearth.Scaling.Processes;
using Hearth.Testing;

namespace Hearth.Scaling.Tests.Processes;

/// <summary>Shell-script workers and bounded waits on real process events.</summary>
internal static class Shell
{
    /// <summary>Generous: real processes on a loaded CI machine; only reached when something is broken.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    public static WorkerLaunch Launch(string workerId, string script, IReadOnlyDictionary<string, string>? environment = null) =>
        new(workerId, "ep", "/bin/sh", ["-c", script], environment ?? new Dictionary<string, string>());

    public static Task<T> Next<T>(this ChannelReader<T> reader) =>
        reader.ReadAsync().AsTask().Within(Patience, $"the next {typeof(T).Name} from the worker processes");

    /// <summary>Reads lines until one satisfies <paramref name="match"/>.</summary>
    public static async Task<string> LineAsync(this ChannelReader<string> lines, Func<string, bool> match)
    {
        while (true)
        {
            var line = await lines.Next();
            if (match(line))
            {
                return line;
            }
        }
    }

    /// <summary>
    /// Waits until a process is dead: a SIGKILL is delivered asynchronously, so the target may need a moment.
    /// Bounded, and it polls /proc rather than sleeping.
    /// </summary>
    public static async Task<bool> DiesAsync(int pid)
    {
        using var timeout = new CancellationTokenSource(Patience);
        while (!IsDead(pid))
        {
            if (timeout.IsCancellationRequested)
            {
                return false;
            }

            await Task.Yield();
        }

        return true;
    }

    /// <summary>Whether a process is gone or a zombie (dead, waiting to be reaped by whoever adopted it).</summary>
    public static bool IsDead(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].StartsWith('Z');
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or IOException)
        {
            return true;
        }
    }
}

using System.Runtime.InteropServices;

namespace Hearth.Soak.Running;

/// <summary>POSIX signals to a process id (kill(2)); the soak's faults are these.</summary>
internal static partial class Signals
{
    public const int Kill = 9;
    public const int Term = 15;
    public const int Stop = 19;
    public const int Continue = 18;

    /// <summary>Sends <paramref name="signal"/>; false when the process is gone.</summary>
    public static bool Send(int pid, int signal) => SysKill(pid, signal) == 0;

    /// <summary>True while the process exists and is not a zombie.</summary>
    public static bool IsAlive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return !stat.Contains(") Z ", StringComparison.Ordinal) && !stat.Contains(") X ", StringComparison.Ordinal);
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int SysKill(int pid, int signal);
}

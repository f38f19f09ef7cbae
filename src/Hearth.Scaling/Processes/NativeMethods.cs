using System.Runtime.InteropServices;

namespace Hearth.Scaling.Processes;

/// <summary>POSIX calls that <see cref="System.Diagnostics.Process"/> does not offer.</summary>
internal static partial class NativeMethods
{
    /// <summary>SIGTERM: the polite request to exit.</summary>
    public const int SigTerm = 15;

    /// <summary>SIGKILL: cannot be caught or ignored.</summary>
    public const int SigKill = 9;

    /// <summary>Sends <paramref name="signal"/> to a process, or to a process group when <paramref name="pid"/> is
    /// negative.</summary>
    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    public static partial int Kill(int pid, int signal);
}

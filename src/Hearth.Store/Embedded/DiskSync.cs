using System.Runtime.InteropServices;

namespace Hearth.Store.Embedded;

/// <summary>
/// <c>fsync</c> for what the store writes itself: a file's bytes, and a directory's entries (a new file's name must
/// survive a power cut too). .NET flushes files; directories need the system call.
/// </summary>
internal static partial class DiskSync
{
    /// <summary>Flushes a file's data and size to disk.</summary>
    public static void File(string path)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.ReadWrite,
            FileShare.ReadWrite | FileShare.Delete, bufferSize: 0);
        file.Flush(flushToDisk: true);
    }

    /// <summary>
    /// Flushes every file under <paramref name="root"/> and every directory's entries, <paramref name="root"/>
    /// included (a file that has nothing unwritten costs one system call). Files that vanish meanwhile are skipped.
    /// </summary>
    public static void Tree(string root)
    {
        if (!System.IO.Directory.Exists(root))
        {
            return;
        }

        foreach (var path in System.IO.Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories))
        {
            try
            {
                File(path);
            }
            catch (FileNotFoundException)
            {
            }
            catch (DirectoryNotFoundException)
            {
            }
        }

        foreach (var directory in System.IO.Directory.EnumerateDirectories(root, "*", SearchOption.AllDirectories)
            .Prepend(root).Where(System.IO.Directory.Exists))
        {
            Directory(directory);
        }
    }

    /// <summary>Flushes a directory's entries to disk (a no-op where directories cannot be opened).</summary>
    public static void Directory(string directory)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
        {
            return;
        }

        var fd = Open(directory, 0); // O_RDONLY
        if (fd < 0)
        {
            throw new IOException($"Cannot open '{directory}' to flush it (errno {Marshal.GetLastPInvokeError()}).");
        }

        try
        {
            if (Fsync(fd) != 0)
            {
                throw new IOException($"Cannot flush '{directory}' (errno {Marshal.GetLastPInvokeError()}).");
            }
        }
        finally
        {
            _ = Close(fd);
        }
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}

using System.Globalization;

namespace Hearth.Store.Embedded;

/// <summary>
/// An exclusive lock on a data directory (<c>hearth.lock</c>, held open for the store's life), so a second Hearth
/// started on the same directory stops with a clear message instead of two Garnets writing one log. The operating
/// system drops the lock when the process dies, even by <c>kill -9</c>.
/// </summary>
internal sealed class DataDirectoryLock : IDisposable
{
    public const string FileName = "hearth.lock";

    private readonly FileStream _stream;

    private DataDirectoryLock(FileStream stream) => _stream = stream;

    public static DataDirectoryLock Acquire(string directory)
    {
        var path = Path.Combine(directory, FileName);
        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e) when (File.Exists(path) && HeldByAnother(path))
        {
            var holder = TryRead(path);
            throw new StoreConfigurationException(
                $"The data directory '{directory}' is in use by another running Hearth{holder} (it holds '{path}'). " +
                "Stop that process, or pass --data to give this one a directory of its own.", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw CannotWrite(directory, e);
        }

        stream.SetLength(0);
        using (var writer = new StreamWriter(stream, leaveOpen: true))
        {
            writer.Write(Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        }

        stream.Flush();
        return new DataDirectoryLock(stream);
    }

    /// <summary>
    /// The refusal for a directory Hearth cannot write (permissions, a read-only mount, a full disk), naming the fix.
    /// </summary>
    internal static StoreConfigurationException CannotWrite(string directory, Exception e) => new(
        $"Cannot write to the data directory '{directory}': {e.Message.TrimEnd('.')}. Make it writable by the user " +
        "running Hearth (a read-only mount: remount it read-write; a full disk: free space), or pass --data to use " +
        "another directory. Nothing in it was changed.", e);

    /// <summary>
    /// Whether another process holds the lock: opening the file to read (a shared lock) fails only then. An open that
    /// failed for any other reason — a read-only file system, no permission — leaves the file readable.
    /// </summary>
    private static bool HeldByAnother(string path)
    {
        try
        {
            using var s = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            return false;
        }
        catch (IOException)
        {
            return true;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static string TryRead(string path)
    {
        try
        {
            using var s = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var r = new StreamReader(s);
            var pid = r.ReadToEnd().Trim();
            return pid.Length > 0 ? $" (pid {pid})" : string.Empty;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return string.Empty;
        }
    }

    public void Dispose() => _stream.Dispose();
}

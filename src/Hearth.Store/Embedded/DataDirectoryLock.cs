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
        catch (IOException e) when (File.Exists(path))
        {
            var holder = TryRead(path);
            throw new StoreConfigurationException(
                $"The data directory '{directory}' is in use by another running Hearth{holder} (it holds '{path}'). " +
                "Stop that process, or pass --data to give this one a directory of its own.", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StoreConfigurationException(
                $"Cannot write to the data directory '{directory}': {e.Message}. Make it writable by the user running " +
                "Hearth, or pass --data to use another directory.", e);
        }

        stream.SetLength(0);
        using (var writer = new StreamWriter(stream, leaveOpen: true))
        {
            writer.Write(Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        }

        stream.Flush();
        return new DataDirectoryLock(stream);
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

using System.Security.Cryptography;

namespace Hearth.Store.Embedded;

/// <summary>
/// The embedded store's password: generated once per data directory into <c>store.password</c> (mode 0600), required
/// by Garnet, and used only by the control plane that owns the directory. Without it nothing else on the machine — no
/// other local user, no co-located container sharing loopback — can read or write jobs, results or journals.
/// </summary>
internal static class StorePassword
{
    public const string FileName = "store.password";

    /// <summary>
    /// Reads the directory's password, creating it the first time; throws a <see cref="StoreConfigurationException"/>
    /// naming the file and the fix.
    /// </summary>
    public static string ReadOrCreate(string directory)
    {
        var path = Path.Combine(directory, FileName);
        if (File.Exists(path))
        {
            return Read(path);
        }

        var password = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            using (var stream = new FileStream(path, options))
            using (var writer = new StreamWriter(stream))
            {
                writer.Write(password);
                writer.Flush();
                stream.Flush(flushToDisk: true);
            }

            // Its name too: a password lost to a power cut would lock every job in the directory away.
            DiskSync.Directory(directory);
            return password;
        }
        catch (IOException) when (File.Exists(path))
        {
            return Read(path); // Another process created it first.
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StoreConfigurationException(
                $"Cannot create the embedded store's password file '{path}': {e.Message}. The data directory must be " +
                "writable by the user running Hearth; fix its permissions or pass --data to use another directory.", e);
        }
    }

    private static string Read(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path).Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StoreConfigurationException(
                $"Cannot read the embedded store's password file '{path}': {e.Message}. It must be readable by the " +
                "user running Hearth (mode 0600, owned by that user).", e);
        }

        if (text.Length < 32 || text.Any(char.IsWhiteSpace))
        {
            throw new StoreConfigurationException(
                $"The embedded store's password file '{path}' is damaged (expected one line of at least 32 " +
                "characters). Restore it from a backup of the data directory; if the store holds nothing you " +
                "need, delete the file and Hearth makes a new one.");
        }

        return text;
    }
}

namespace Hearth.App.Keys;

/// <summary>Writes a secret to a new file only its owner can read (mode 0600), so it never passes through a
/// terminal or a log.</summary>
internal static class SecretFile
{
    /// <summary>Null when written; otherwise what went wrong and what to do.</summary>
    public static string? Write(string path, string secret)
    {
        ArgumentNullException.ThrowIfNull(path);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        try
        {
            using var file = new StreamWriter(path, options);
            file.Write(secret);
            file.Write('\n');
            return null;
        }
        catch (IOException) when (File.Exists(path))
        {
            return $"{path} exists; the secret was not written. Remove it or pick another --out path "
                + "(the key was created: revoke it with 'hearth keys revoke' if it is not needed).";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"Could not write {path}: {e.Message} (the key was created: revoke it with 'hearth keys revoke' "
                + "if it is not needed).";
        }
    }

    /// <summary>Writes (or replaces) a file of secrets that only its owner may read or write (mode 0600 before any
    /// byte is written); null when written, otherwise what went wrong.</summary>
    public static string? Replace(string path, string content)
    {
        ArgumentNullException.ThrowIfNull(path);
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
                if (File.Exists(path))
                {
                    File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
                }
            }

            using var file = new StreamWriter(path, options);
            file.Write(content);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"Could not write the secrets file {path}: {e.Message}. Pick a writable path for --secrets-file.";
        }
    }
}

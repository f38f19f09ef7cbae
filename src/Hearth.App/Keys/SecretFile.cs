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
}

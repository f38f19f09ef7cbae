namespace Hearth.Store.Embedded;

/// <summary>
/// How much disk the embedded store may use before it refuses new work, like a Redis with <c>noeviction</c> at its
/// <c>maxmemory</c>: the data directory may hold at most <c>--store-max-disk</c> bytes, and its filesystem must keep
/// 5 % and 1 GiB free (the default when no maximum is given, and always: a full disk is a stalled store).
/// </summary>
/// <param name="Directory">The data directory.</param>
/// <param name="MaxBytes">The most the directory may hold; null for no limit but the filesystem's.</param>
public sealed record DiskBudget(string Directory, long? MaxBytes)
{
    private const long MinFreeBytes = 1L << 30;

    /// <summary>Bytes under the data directory.</summary>
    public long UsedBytes()
    {
        long total = 0;
        foreach (var file in new DirectoryInfo(Directory).EnumerateFiles("*", SearchOption.AllDirectories))
        {
            try
            {
                total += file.Length;
            }
            catch (FileNotFoundException)
            {
                // Deleted while listing (a truncated segment).
            }
        }

        return total;
    }

    /// <summary>Why writes must be refused with <paramref name="used"/> bytes in the directory, or null when there is
    /// room.</summary>
    public string? Exhausted(long used)
    {
        if (MaxBytes is { } max && used >= max)
        {
            return $"its data directory holds {EmbeddedSizing.Format(used)} of the {EmbeddedSizing.Format(max)} " +
                "allowed by --store-max-disk";
        }

        var drive = new DriveInfo(Directory);
        var free = drive.AvailableFreeSpace;
        if (free < MinFreeBytes || free < drive.TotalSize / 20)
        {
            return $"its disk has {EmbeddedSizing.Format(free)} free of {EmbeddedSizing.Format(drive.TotalSize)}, " +
                "under the 5 % and 1 GiB Hearth keeps free";
        }

        return null;
    }
}

using System.Globalization;

namespace Hearth.Store.Embedded;

/// <summary>
/// The embedded store's memory and hash-index sizes when none are given: derived from the machine's memory so a
/// laptop and a large server both get a sensible store. The memory only decides what stays hot; what does not fit
/// goes to disk in the data directory (nothing is ever evicted).
/// </summary>
public static class EmbeddedSizing
{
    private const long MiB = 1L << 20;

    /// <summary>Log memory: a sixteenth of the machine's memory, at least 128 MiB and at most 4 GiB.</summary>
    public static long DefaultMemoryBytes(long machineBytes) => Math.Clamp(machineBytes / 16, 128 * MiB, 4096 * MiB);

    /// <summary>Hash index: an eighth of the log memory as a power of two, 16 MiB to 512 MiB (it may grow to
    /// 4×).</summary>
    public static long DefaultIndexBytes(long memoryBytes) =>
        (long)Math.Pow(2, Math.Floor(Math.Log2(Math.Clamp(memoryBytes / 8, 16 * MiB, 512 * MiB))));

    /// <summary>
    /// Log page: a quarter of the log memory as a power of two, 2 MiB to 32 MiB (Garnet needs at least 4 pages). Values
    /// up to half a page are stored inline (<see cref="InlineValueBytes"/>).
    /// </summary>
    public static long PageBytes(long memoryBytes) =>
        (long)Math.Pow(2, Math.Floor(Math.Log2(Math.Clamp(memoryBytes / 4, 2 * MiB, 32 * MiB))));

    /// <summary>
    /// Largest value kept inline in a log record: half a page, at most 16 MiB (Garnet's limit). Garnet 2.2.8 cannot
    /// write out a larger, out-of-line value that it recovered from the append-only file (the process stops when that
    /// page leaves memory), so payloads and outputs should fit inline.
    /// </summary>
    public static long InlineValueBytes(long memoryBytes) => Math.Min(PageBytes(memoryBytes) / 2, (16 * MiB) - 2);

    /// <summary>Append-only-file page: twice the log page, at least 32 MiB (Garnet's default), so any entry
    /// fits.</summary>
    public static long AofPageBytes(long memoryBytes) => Math.Max(32 * MiB, 2 * PageBytes(memoryBytes));

    /// <summary>The machine's memory as the runtime sees it (the container's limit where there is one).</summary>
    public static long MachineBytes() => GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;

    /// <summary>
    /// Parses a size as Garnet and the command line write it: a number of bytes with an optional k, m, g or t suffix
    /// (powers of 1024; <c>256m</c>, <c>1g</c>, <c>4096</c>). Null when it is not one.
    /// </summary>
    public static long? ParseBytes(string? text)
    {
        var s = text?.Trim().ToLowerInvariant();
        if (string.IsNullOrEmpty(s))
        {
            return null;
        }

        if (s.EndsWith('b'))
        {
            s = s[..^1];
        }

        var shift = s.Length == 0 ? 0 : s[^1] switch { 'k' => 10, 'm' => 20, 'g' => 30, 't' => 40, _ => 0 };
        var digits = shift == 0 ? s : s[..^1];
        return long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0
            && n < (1L << (62 - shift))
            ? n << shift
            : null;
    }

    /// <summary>A size as a person reads it: <c>1.5 GiB</c>, <c>256 MiB</c>, <c>12 KiB</c>.</summary>
    public static string Format(long bytes) => bytes switch
    {
        >= 1L << 30 => (bytes / (double)(1L << 30)).ToString("0.#", CultureInfo.InvariantCulture) + " GiB",
        >= 1L << 20 => (bytes / (double)(1L << 20)).ToString("0.#", CultureInfo.InvariantCulture) + " MiB",
        >= 1L << 10 => (bytes / (double)(1L << 10)).ToString("0.#", CultureInfo.InvariantCulture) + " KiB",
        _ => bytes.ToString(CultureInfo.InvariantCulture) + " B",
    };

    /// <summary>A size as Garnet's command line takes it (whole MiB or KiB).</summary>
    internal static string ToGarnet(long bytes) => bytes % MiB == 0
        ? (bytes / MiB).ToString(CultureInfo.InvariantCulture) + "m"
        : Math.Max(1, bytes / 1024).ToString(CultureInfo.InvariantCulture) + "k";
}

using Hearth.Core.Endpoints;

namespace Hearth.Core.Placement;

/// <summary>Maps GPU names as drivers print them onto <see cref="GpuCatalog"/> ids, and formats sizes for
/// people.</summary>
public static class GpuNames
{
    /// <summary>Bytes in a GiB. The catalog's "80 GB" cards report 80 GiB (81 920 MiB), so catalog VRAM is read as
    /// GiB.</summary>
    public const long BytesPerGiB = 1L << 30;

    /// <summary>
    /// Returns the catalog GPU type id for a name as <c>nvidia-smi</c> prints it (e.g. <c>NVIDIA A100 80GB PCIe</c>),
    /// matched ignoring case and surrounding spaces; returns the trimmed raw name when no type matches.
    /// </summary>
    /// <param name="rawName">The reported name.</param>
    /// <returns>The catalog id, or the trimmed raw name.</returns>
    public static string ToCatalogId(string rawName)
    {
        ArgumentNullException.ThrowIfNull(rawName);
        var trimmed = rawName.Trim();
        var match = GpuCatalog.Types.FirstOrDefault(
            t => string.Equals(t.Id, trimmed, StringComparison.OrdinalIgnoreCase));
        return match?.Id ?? trimmed;
    }

    /// <summary>The memory of a catalog GPU type in bytes, or null when the id is not in the catalog.</summary>
    /// <param name="typeId">A catalog GPU type id.</param>
    /// <returns>Capacity in bytes, or null.</returns>
    public static long? CatalogBytes(string typeId) =>
        GpuCatalog.FindType(typeId) is { } type ? type.VramGb * BytesPerGiB : null;

    /// <summary>Formats bytes as GiB to one decimal, e.g. <c>52.3 GiB</c>.</summary>
    /// <param name="bytes">A size in bytes.</param>
    /// <returns>The formatted size.</returns>
    public static string FormatGiB(long bytes) => $"{Math.Max(0, bytes) / (double)BytesPerGiB:0.0} GiB";
}

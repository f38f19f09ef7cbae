using System.Globalization;
using Hearth.Core.Endpoints;
using Hearth.Core.Placement;

namespace Hearth.Scaling.Gpus;

/// <summary>
/// A declared GPU inventory (<c>--gpus "NVIDIA A100 80GB PCIe:2, NVIDIA GeForce RTX 4090:4"</c> or the <c>gpus</c>
/// setting), so placement can be run and tested without a GPU. Items are catalog GPU type ids (matched ignoring
/// case) with an optional count (default 1); memory comes from the catalog; nothing is in use.
/// </summary>
public static class DeclaredGpus
{
    /// <summary>Parses a declaration, or throws listing every bad item with its fix.</summary>
    /// <param name="spec">Comma-separated <c>TYPE:COUNT</c> items; empty declares no GPUs.</param>
    /// <returns>GPUs indexed from 0 in declaration order, with UUIDs <c>declared-0</c>, <c>declared-1</c>,
    /// ….</returns>
    /// <exception cref="FormatException">An item is not a catalog GPU type or its count is not a whole number ≥
    /// 1.</exception>
    public static IReadOnlyList<GpuDevice> Parse(string spec)
    {
        var (gpus, problems) = Read(spec);
        return problems.Count == 0 ? gpus : throw new FormatException(string.Join(Environment.NewLine, problems));
    }

    /// <summary>Parses a declaration, collecting every bad item instead of throwing.</summary>
    /// <param name="spec">Comma-separated <c>TYPE:COUNT</c> items.</param>
    /// <returns>The GPUs (empty when any item is bad) and one problem per bad item.</returns>
    public static (IReadOnlyList<GpuDevice> Gpus, IReadOnlyList<string> Problems) Read(string spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var gpus = new List<GpuDevice>();
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(spec))
        {
            return (gpus, problems);
        }

        var items = spec.Split(',', StringSplitOptions.TrimEntries);
        for (var i = 0; i < items.Length; i++)
        {
            var (type, count, problem) = ReadItem(items[i]);
            if (problem is not null)
            {
                problems.Add($"gpus item {i + 1} '{items[i]}': {problem}");
                continue;
            }

            for (var n = 0; n < count; n++)
            {
                var index = gpus.Count;
                gpus.Add(new GpuDevice(index, $"declared-{index}", type!.Id, type.VramGb * GpuNames.BytesPerGiB, 0));
            }
        }

        return problems.Count == 0 ? (gpus, problems) : ([], problems);
    }

    private static (GpuTypeInfo? Type, int Count, string? Problem) ReadItem(string item)
    {
        if (item.Length == 0)
        {
            return (null, 0, "empty; remove the extra comma");
        }

        var colon = item.LastIndexOf(':');
        var name = (colon < 0 ? item : item[..colon]).Trim();
        var countText = colon < 0 ? "1" : item[(colon + 1)..].Trim();
        var type = GpuCatalog.FindType(GpuNames.ToCatalogId(name));
        if (type is null)
        {
            var pool = GpuCatalog.Pools.FirstOrDefault(
                p => string.Equals(p.Key, name, StringComparison.OrdinalIgnoreCase));
            return pool.Key is not null
                ? (null, 0,
                    $"'{pool.Key}' is a pool, not a GPU type; declare the cards themselves, e.g. '{pool.Value[0]}:2'.")
                : (null, 0,
                    $"unknown GPU type '{name}'; use a GPU type id from the catalog, e.g. 'NVIDIA GeForce RTX 4090:4'."
                    + ClosestName.Hint(name, GpuCatalog.Types.Select(t => t.Id)));
        }

        if (!int.TryParse(countText, NumberStyles.None, CultureInfo.InvariantCulture, out var count) || count < 1)
        {
            return (null, 0, $"count '{countText}' must be a whole number of at least 1, e.g. '{type.Id}:2'.");
        }

        return (type, count, null);
    }
}

using System.Globalization;
using Hearth.Core.Endpoints;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Hearth.App.Plan;

/// <summary>Reads a price table: a JSON or YAML mapping of GPU type id to dollars per hour.</summary>
internal static class PriceTable
{
    public static IReadOnlyDictionary<string, decimal> Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new InvalidDataException($"No price table at '{Path.GetFullPath(path)}'. Fix: pass a JSON or YAML "
                + $"file mapping GPU ids to $/h, e.g. {{ \"NVIDIA A100 80GB PCIe\": 1.64 }}.");
        }

        var stream = new YamlStream();
        try
        {
            using var reader = new StreamReader(path);
            stream.Load(reader);
        }
        catch (YamlException e)
        {
            throw new InvalidDataException($"Price table '{path}' is not valid JSON or YAML: {e.Message}", e);
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode mapping)
        {
            throw new InvalidDataException(
                $"Price table '{path}' is not a mapping. Fix: write {{ \"<GPU id>\": <$/h>, ... }}.");
        }

        var prices = new Dictionary<string, decimal>(StringComparer.Ordinal);
        foreach (var (key, value) in mapping.Children)
        {
            var id = (key as YamlScalarNode)?.Value ?? string.Empty;
            if (GpuCatalog.FindType(id) is null)
            {
                var closest = ClosestName.Find(id, GpuCatalog.Types.Select(t => t.Id));
                var hint = closest is null ? string.Empty : $" Did you mean '{closest}'?";
                throw new InvalidDataException($"Price table '{path}' names an unknown GPU type '{id}'.{hint} Fix: use "
                    + "the GPU ids `hearth plan` lists.");
            }

            if (value is not YamlScalarNode { Value: { } text }
                || !decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var price)
                || price < 0)
            {
                throw new InvalidDataException(
                    $"Price table '{path}': the price of '{id}' is not a non-negative number of dollars per hour.");
            }

            prices[id] = price;
        }

        return prices;
    }
}

using System.Text.Json;
using System.Text.Json.Serialization;

namespace Hearth.Soak.History;

/// <summary>The history's JSON: camelCase, nulls left out, one event per line.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(HistoryEvent))]
public sealed partial class HistoryJson : JsonSerializerContext
{
    /// <summary>One event as one line (no newline).</summary>
    public static string Line(HistoryEvent e) => JsonSerializer.Serialize(e, Default.HistoryEvent);

    /// <summary>Reads one line back; null for a blank or torn line (a process killed mid-write).</summary>
    public static HistoryEvent? Parse(string line)
    {
        if (string.IsNullOrWhiteSpace(line))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize(line, Default.HistoryEvent);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

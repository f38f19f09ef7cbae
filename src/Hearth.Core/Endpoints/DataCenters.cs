namespace Hearth.Core.Endpoints;

/// <summary>
/// Known data center ids (Flash's <c>DataCenter</c> plus the extra ones in Runpod's docs table, spec §3.2).
/// Matching ignores case and treats '_' as '-', as Flash's parser does.
/// </summary>
public static class DataCenters
{
    /// <summary>Every known data center id, in canonical spelling.</summary>
    public static IReadOnlyList<string> All { get; } =
    [
        "US-CA-2", "US-GA-2", "US-IL-1", "US-KS-2", "US-MD-1", "US-MO-1", "US-MO-2", "US-NC-1", "US-NC-2",
        "US-NE-1", "US-WA-1", "EU-CZ-1", "EU-RO-1", "EUR-IS-1", "EUR-NO-1",
    ];

    /// <summary>Returns the canonical id for <paramref name="value"/> (e.g. <c>us_ga_2</c> → <c>US-GA-2</c>), or null
    /// when unknown.</summary>
    /// <param name="value">A data center as written.</param>
    /// <returns>The canonical id, or null.</returns>
    public static string? Normalize(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var candidate = value.Trim().Replace('_', '-').ToUpperInvariant();
        return All.Contains(candidate, StringComparer.Ordinal) ? candidate : null;
    }
}

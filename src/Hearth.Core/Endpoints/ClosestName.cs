namespace Hearth.Core.Endpoints;

/// <summary>Finds the known name a user most likely meant, for "did you mean" hints.</summary>
public static class ClosestName
{
    /// <summary>
    /// Returns the candidate closest to <paramref name="value"/>: an exact case-insensitive match first, then the
    /// shortest candidate containing it, then the one with the smallest edit distance if it is close enough
    /// (at most a third of the value's length, and at least 2). Returns null when nothing is close.
    /// </summary>
    /// <param name="value">What the user wrote.</param>
    /// <param name="candidates">The known names.</param>
    /// <returns>The closest known name, or null.</returns>
    public static string? Find(string value, IEnumerable<string> candidates)
    {
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(candidates);
        var list = candidates.ToList();
        var trimmed = value.Trim();
        if (trimmed.Length == 0)
        {
            return null;
        }

        var exact = list.Find(c => string.Equals(c, trimmed, StringComparison.OrdinalIgnoreCase));
        if (exact is not null)
        {
            return exact;
        }

        if (trimmed.Length >= 3)
        {
            var containing = list.Where(c => c.Contains(trimmed, StringComparison.OrdinalIgnoreCase))
                .OrderBy(c => c.Length).FirstOrDefault();
            if (containing is not null)
            {
                return containing;
            }
        }

        var limit = Math.Max(2, trimmed.Length / 3);
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in list)
        {
            var distance = Distance(trimmed.ToLowerInvariant(), candidate.ToLowerInvariant());
            if (distance < bestDistance)
            {
                best = candidate;
                bestDistance = distance;
            }
        }

        return bestDistance <= limit ? best : null;
    }

    /// <summary>Formats a hint like <c> Did you mean 'x'?</c>, or an empty string when nothing is close.</summary>
    /// <param name="value">What the user wrote.</param>
    /// <param name="candidates">The known names.</param>
    /// <returns>The hint with a leading space, or empty.</returns>
    public static string Hint(string value, IEnumerable<string> candidates)
    {
        var closest = Find(value, candidates);
        return closest is null ? string.Empty : $" Did you mean '{closest}'?";
    }

    // Levenshtein distance with two rolling rows.
    private static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}

namespace Hearth.Store;

/// <summary>
/// Splits a job's payload into pieces the store keeps as separate values: each at most <see cref="MaxChars"/> UTF-16
/// characters (under 3 MiB in UTF-8), so every piece stays inline in the embedded store, whose recovery of larger,
/// out-of-line values is not reliable (docs/durability.md). A 20 MB <c>/runsync</c> input is seven pieces; a typical
/// one is one.
/// </summary>
internal static class PayloadPieces
{
    /// <summary>Characters per piece: 3 bytes each at most in UTF-8 outside surrogate pairs, 4 per pair.</summary>
    public const int MaxChars = 1 << 20;

    public static string[] Split(string payload)
    {
        if (payload.Length <= MaxChars)
        {
            return [payload];
        }

        var pieces = new List<string>();
        for (var start = 0; start < payload.Length;)
        {
            var length = Math.Min(MaxChars, payload.Length - start);
            if (start + length < payload.Length && char.IsHighSurrogate(payload[start + length - 1]))
            {
                length--; // never split a surrogate pair
            }

            pieces.Add(payload.Substring(start, length));
            start += length;
        }

        return [.. pieces];
    }
}

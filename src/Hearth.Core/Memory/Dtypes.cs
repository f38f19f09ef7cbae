using Hearth.Core.Endpoints;

namespace Hearth.Core.Memory;

/// <summary>
/// Element sizes of the dtypes a <c>model</c> may declare (<see cref="EndpointLimits.Dtypes"/>). Sizes are kept in
/// bits so that int4 (half a byte) stays exact in integer arithmetic.
/// </summary>
public static class Dtypes
{
    /// <summary>Bits per element: fp32 32, fp16/bf16 16, fp8/int8 8, int4 4.</summary>
    private static readonly Dictionary<string, int> BitsByName = new(StringComparer.Ordinal)
    {
        ["fp32"] = 32,
        ["fp16"] = 16,
        ["bf16"] = 16,
        ["fp8"] = 8,
        ["int8"] = 8,
        ["int4"] = 4,
    };

    /// <summary>Hugging Face <c>torch_dtype</c> spellings mapped to Hearth's dtype names.</summary>
    private static readonly Dictionary<string, string> TorchNames = new(StringComparer.OrdinalIgnoreCase)
    {
        ["float32"] = "fp32",
        ["float16"] = "fp16",
        ["bfloat16"] = "bf16",
        ["float8_e4m3fn"] = "fp8",
        ["float8_e5m2"] = "fp8",
        ["int8"] = "int8",
    };

    /// <summary>Bits per element of <paramref name="dtype"/>.</summary>
    /// <param name="dtype">One of <see cref="EndpointLimits.Dtypes"/>.</param>
    /// <returns>32, 16, 8 or 4.</returns>
    /// <exception cref="ArgumentException">The dtype is unknown; the message lists the known ones.</exception>
    public static int Bits(string dtype)
    {
        ArgumentNullException.ThrowIfNull(dtype);
        if (BitsByName.TryGetValue(dtype, out var bits))
        {
            return bits;
        }

        var closest = ClosestName.Find(dtype, EndpointLimits.Dtypes);
        var hint = closest is null ? string.Empty : $"Did you mean '{closest}'? ";
        throw new ArgumentException(
            $"Unknown dtype '{dtype}'. {hint}Use one of {string.Join(", ", EndpointLimits.Dtypes)}.");
    }

    /// <summary>Bytes per element of <paramref name="dtype"/>: 4, 2, 1 or 0.5.</summary>
    /// <param name="dtype">One of <see cref="EndpointLimits.Dtypes"/>.</param>
    /// <returns>The element size in bytes.</returns>
    public static double BytesPerElement(string dtype) => Bits(dtype) / 8.0;

    /// <summary>Whether <paramref name="dtype"/> is a known dtype name (exact spelling).</summary>
    /// <param name="dtype">A dtype name.</param>
    /// <returns>True when known.</returns>
    public static bool IsKnown(string dtype) => BitsByName.ContainsKey(dtype);

    /// <summary>Maps a Hugging Face <c>torch_dtype</c> (e.g. <c>bfloat16</c>) to a Hearth dtype name.</summary>
    /// <param name="torchDtype">The config's <c>torch_dtype</c>.</param>
    /// <returns>The Hearth name, or null when unknown.</returns>
    public static string? FromTorch(string? torchDtype) =>
        torchDtype is null ? null
        : BitsByName.ContainsKey(torchDtype) ? torchDtype
        : TorchNames.GetValueOrDefault(torchDtype);

    /// <summary>Bytes taken by <paramref name="elements"/> elements of <paramref name="dtype"/>, rounded up.</summary>
    /// <param name="elements">Element count.</param>
    /// <param name="dtype">One of <see cref="EndpointLimits.Dtypes"/>.</param>
    /// <returns>The size in bytes.</returns>
    public static long SizeOf(long elements, string dtype) => checked(((elements * Bits(dtype)) + 7) / 8);
}

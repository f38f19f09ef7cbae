using System.Collections.Frozen;

namespace Hearth.Core.Endpoints;

/// <summary>A GPU type: its Runpod display id and its memory.</summary>
/// <param name="Id">Runpod GPU id, e.g. <c>NVIDIA A100 80GB PCIe</c>.</param>
/// <param name="VramGb">GPU memory in GB.</param>
public sealed record GpuTypeInfo(string Id, int VramGb);

/// <summary>
/// The GPU types and pools an endpoint's <c>gpu</c> may name, as Runpod Flash knows them (spec §3.2: pool
/// membership from Flash's code, VRAM from its docs). A small static table until inventory probing replaces it.
/// </summary>
public static class GpuCatalog
{
    /// <summary>The wildcard that accepts any GPU.</summary>
    public const string Any = "any";

    /// <summary>Every known GPU type.</summary>
    public static IReadOnlyList<GpuTypeInfo> Types { get; } =
    [
        new("NVIDIA RTX A4000", 16),
        new("NVIDIA RTX A4500", 20),
        new("NVIDIA RTX 4000 Ada Generation", 16),
        new("NVIDIA RTX 2000 Ada Generation", 16),
        new("NVIDIA RTX A5000", 24),
        new("NVIDIA L4", 24),
        new("NVIDIA GeForce RTX 3090", 24),
        new("NVIDIA GeForce RTX 4090", 24),
        new("NVIDIA GeForce RTX 5090", 32),
        new("NVIDIA A40", 48),
        new("NVIDIA RTX A6000", 48),
        new("NVIDIA RTX 6000 Ada Generation", 48),
        new("NVIDIA A100 80GB PCIe", 80),
        new("NVIDIA A100-SXM4-80GB", 80),
        new("NVIDIA H100 80GB HBM3", 80),
        new("NVIDIA H200", 141),
        new("NVIDIA RTX PRO 6000 Blackwell Server Edition", 96),
        new("NVIDIA RTX PRO 6000 Blackwell Workstation Edition", 96),
        new("NVIDIA RTX PRO 6000 Blackwell Max-Q Workstation Edition", 96),
        new("NVIDIA B200", 180),
    ];

    /// <summary>Every pool id (Flash's <c>GpuGroup</c>, except <c>any</c>) with its member GPU type ids.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> Pools { get; } =
        new Dictionary<string, IReadOnlyList<string>>
        {
            ["AMPERE_16"] =
            [
                "NVIDIA RTX A4000",
                "NVIDIA RTX A4500",
                "NVIDIA RTX 4000 Ada Generation",
                "NVIDIA RTX 2000 Ada Generation",
            ],
            ["AMPERE_24"] = ["NVIDIA RTX A5000", "NVIDIA L4", "NVIDIA GeForce RTX 3090"],
            ["ADA_24"] = ["NVIDIA GeForce RTX 4090"],
            ["ADA_32_PRO"] = ["NVIDIA GeForce RTX 5090"],
            ["AMPERE_48"] = ["NVIDIA A40", "NVIDIA RTX A6000"],
            ["ADA_48_PRO"] = ["NVIDIA RTX 6000 Ada Generation"],
            ["AMPERE_80"] = ["NVIDIA A100 80GB PCIe", "NVIDIA A100-SXM4-80GB"],
            ["ADA_80_PRO"] = ["NVIDIA H100 80GB HBM3"],
            ["HOPPER_141"] = ["NVIDIA H200"],
            ["BLACKWELL_96"] =
            [
                "NVIDIA RTX PRO 6000 Blackwell Server Edition",
                "NVIDIA RTX PRO 6000 Blackwell Workstation Edition",
                "NVIDIA RTX PRO 6000 Blackwell Max-Q Workstation Edition",
            ],
            ["BLACKWELL_180"] = ["NVIDIA B200"],
        }.ToFrozenDictionary(StringComparer.Ordinal);

    private static readonly FrozenDictionary<string, GpuTypeInfo> TypesById = Types.ToFrozenDictionary(
        t => t.Id, StringComparer.Ordinal);

    /// <summary>Every name a <c>gpu</c> entry may use: <c>any</c>, pool ids and GPU type ids.</summary>
    public static IReadOnlyList<string> AllNames { get; } = [Any, .. Pools.Keys, .. Types.Select(t => t.Id)];

    /// <summary>True when <paramref name="name"/> is <c>any</c>, a pool id or a GPU type id (exact spelling).</summary>
    /// <param name="name">A <c>gpu</c> entry.</param>
    /// <returns>Whether the name is known.</returns>
    public static bool IsKnown(string name) => name == Any || Pools.ContainsKey(name) || TypesById.ContainsKey(name);

    /// <summary>Looks up a GPU type by id.</summary>
    /// <param name="id">GPU type id.</param>
    /// <returns>The type, or null when unknown.</returns>
    public static GpuTypeInfo? FindType(string id) => TypesById.GetValueOrDefault(id);

    /// <summary>The GPU types a <c>gpu</c> entry stands for: a pool's members, one type, or every type for
    /// <c>any</c>.</summary>
    /// <param name="name">A <c>gpu</c> entry.</param>
    /// <returns>The matching types; empty when the name is unknown.</returns>
    public static IReadOnlyList<GpuTypeInfo> Expand(string name)
    {
        if (name == Any)
        {
            return Types;
        }

        if (Pools.TryGetValue(name, out var members))
        {
            return [.. members.Select(m => TypesById[m])];
        }

        return TypesById.TryGetValue(name, out var type) ? [type] : [];
    }
}

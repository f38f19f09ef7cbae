using System.Text.RegularExpressions;

namespace Hearth.Core.Endpoints;

/// <summary>
/// The CPU instance types an endpoint's <c>cpu</c> may name (Flash's <c>CpuInstanceType</c>, spec §3.2). Ids read
/// <c>cpu{gen}{class}-{vcpu}-{ram GB}</c>: <c>cpu5c-4-8</c> is 5th-gen compute-optimised, 4 vCPU, 8 GB.
/// </summary>
public static partial class CpuInstanceTypes
{
    /// <summary>Every offered CPU instance type id.</summary>
    public static IReadOnlyList<string> All { get; } =
    [
        "cpu3g-1-4", "cpu3g-2-8", "cpu3g-4-16", "cpu3g-8-32",
        "cpu3c-1-2", "cpu3c-2-4", "cpu3c-4-8", "cpu3c-8-16",
        "cpu5c-1-2", "cpu5c-2-4", "cpu5c-4-8", "cpu5c-8-16",
    ];

    /// <summary>True when <paramref name="id"/> has the <c>cpu{gen}{class}-{vcpu}-{ram}</c> shape.</summary>
    /// <param name="id">A <c>cpu</c> value.</param>
    /// <returns>Whether the id parses.</returns>
    public static bool IsWellFormed(string id) => IdPattern().IsMatch(id);

    /// <summary>True when <paramref name="id"/> is one of <see cref="All"/>.</summary>
    /// <param name="id">A <c>cpu</c> value.</param>
    /// <returns>Whether the id is offered.</returns>
    public static bool IsKnown(string id) => All.Contains(id, StringComparer.Ordinal);

    [GeneratedRegex("^cpu[0-9]+[a-z]-[0-9]+-[0-9]+$", RegexOptions.CultureInvariant)]
    private static partial Regex IdPattern();
}

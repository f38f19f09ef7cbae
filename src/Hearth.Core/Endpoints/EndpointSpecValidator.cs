using System.Text.RegularExpressions;

namespace Hearth.Core.Endpoints;

/// <summary>
/// Checks endpoint definitions and reports every problem at once, each with its path, the bad value and a fix.
/// The rules live in small files by concern: names here, compute in <c>ComputeRules</c>, scaling and timeouts in
/// <c>ScalingRules</c>, and the worker's surroundings (volume, env, model, command, health) in <c>WorkerRules</c>.
/// </summary>
public static partial class EndpointSpecValidator
{
    /// <summary>Longest endpoint name.</summary>
    public const int MaxNameLength = 64;

    /// <summary>Validates a set of endpoints that are deployed together (names must be unique among them).</summary>
    /// <param name="specs">The endpoints, in declaration order.</param>
    /// <param name="pathPrefix">Name of the list in problem paths; default <c>endpoints</c> gives
    /// <c>endpoints[2].workers</c>.</param>
    /// <returns>Every problem found, in endpoint order; empty when all are valid.</returns>
    public static IReadOnlyList<SpecProblem> Validate(
        IReadOnlyList<EndpointSpec> specs, string pathPrefix = "endpoints")
    {
        ArgumentNullException.ThrowIfNull(specs);
        ArgumentNullException.ThrowIfNull(pathPrefix);
        var problems = new List<SpecProblem>();
        var firstIndexByName = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < specs.Count; i++)
        {
            var path = $"{pathPrefix}[{i}]";
            var spec = specs[i];
            if (spec is null)
            {
                problems.Add(new(path, null, "endpoint is missing", "declare the endpoint or remove the empty entry."));
                continue;
            }

            if (CheckName(spec.Name, $"{path}.name", problems))
            {
                if (firstIndexByName.TryGetValue(spec.Name, out var first))
                {
                    problems.Add(new($"{path}.name", spec.Name, $"name is already used by {pathPrefix}[{first}]",
                        $"give each endpoint its own name, e.g. '{spec.Name}-2'."));
                }
                else
                {
                    firstIndexByName[spec.Name] = i;
                }
            }

            ComputeRules.Check(spec, path, problems);
            ScalingRules.Check(spec, path, problems);
            WorkerRules.Check(spec, path, problems);
        }

        return problems;
    }

    /// <summary>Validates one endpoint on its own.</summary>
    /// <param name="spec">The endpoint.</param>
    /// <param name="path">Its path in problem messages; default <c>endpoint</c>.</param>
    /// <returns>Every problem found; empty when valid.</returns>
    public static IReadOnlyList<SpecProblem> Validate(EndpointSpec spec, string path = "endpoint")
    {
        var problems = Validate([spec], "x");
        var prefix = "x[0]";
        return [.. problems.Select(p => p with { Path = path + p.Path[prefix.Length..] })];
    }

    private static bool CheckName(string? name, string path, List<SpecProblem> problems)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            problems.Add(new(path, name, "name is missing", "give the endpoint a name such as 'agent-orchestrator'."));
            return false;
        }

        if (!NamePattern().IsMatch(name))
        {
            var suggestion = Slug(name);
            var example = NamePattern().IsMatch(suggestion) ? $", e.g. '{suggestion}'" : string.Empty;
            problems.Add(new(path, name, $"name must be 1–{MaxNameLength} lowercase letters, digits, '.', '_' or "
                + "'-', starting with a letter or digit",
                $"rename it{example}."));
            return false;
        }

        return true;
    }

    private static string Slug(string name)
    {
        var chars = name.Trim().ToLowerInvariant()
            .Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' ? c : '-');
        var slug = new string([.. chars]).TrimStart('.', '_', '-');
        return slug.Length > MaxNameLength ? slug[..MaxNameLength] : slug;
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]{0,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();
}

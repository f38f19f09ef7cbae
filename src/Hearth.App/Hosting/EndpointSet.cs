using Hearth.App.Config;
using Hearth.App.Endpoints;
using Hearth.Core.Endpoints;

namespace Hearth.App.Hosting;

/// <summary>The endpoints an app serves: those declared in code plus those in hearth.yaml, checked together.</summary>
internal static class EndpointSet
{
    /// <summary>Every endpoint, or every problem (each with its path and fix) when there is any.</summary>
    public static (IReadOnlyList<DevEndpoint> Endpoints, IReadOnlyList<SpecProblem> Problems) Resolve(
        IReadOnlyList<EndpointRegistration> code, string? configPath, bool needWorkers)
    {
        var problems = new List<SpecProblem>();
        var endpoints = new List<DevEndpoint>();
        var codeSpecs = code.Select(r => r.Builder.Build()).ToList();
        problems.AddRange(EndpointSpecValidator.Validate(codeSpecs, "code endpoints"));
        for (var i = 0; i < code.Count; i++)
        {
            if (code[i].Handler is null)
            {
                problems.Add(new SpecProblem($"code endpoints[{i}]", codeSpecs[i].Name, $"Endpoint '{codeSpecs[i].Name}' has no handler.",
                    "Chain .Handle<TIn, TOut>(...) or .Stream<TIn, TChunk>(...) after app.Endpoint(...)."));
            }

            endpoints.Add(new DevEndpoint(codeSpecs[i], null));
        }

        if (configPath is not null)
        {
            var yaml = HearthYaml.LoadFile(configPath);
            problems.AddRange(yaml.Problems);
            var directory = Path.GetDirectoryName(Path.GetFullPath(configPath));
            for (var i = 0; i < yaml.Endpoints.Count; i++)
            {
                var spec = yaml.Endpoints[i];
                if (codeSpecs.Any(c => c.Name == spec.Name))
                {
                    problems.Add(new SpecProblem($"endpoints[{i}].name", spec.Name, $"Endpoint '{spec.Name}' is declared both in code and in {configPath}.",
                        "Declare each endpoint once: remove it from hearth.yaml or rename one of them."));
                }
                else if (needWorkers && spec.Command is null && yaml.Problems.Count == 0)
                {
                    problems.Add(new SpecProblem($"endpoints[{i}].command", null, $"Endpoint '{spec.Name}' has no command: and no C# handler, so dev cannot start its workers.",
                        "Add command: (for example 'python3 worker.py'), or run its workers yourself against 'hearth serve'."));
                }

                endpoints.Add(new DevEndpoint(spec, directory));
            }
        }

        if (endpoints.Count == 0 && problems.Count == 0)
        {
            problems.Add(new SpecProblem("endpoints", null, "There is no endpoint to serve.",
                "Pass --config hearth.yaml, or declare endpoints in code with app.Endpoint(...)."));
        }

        return (endpoints, problems);
    }
}

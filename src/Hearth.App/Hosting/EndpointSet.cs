using Hearth.App.Config;
using Hearth.Server.Scheduling;
using Hearth.App.Endpoints;
using Hearth.Core.Endpoints;
using Hearth.Core.Memory;

namespace Hearth.App.Hosting;

/// <summary>The endpoints an app serves: those declared in code plus those in hearth.yaml, checked together.</summary>
internal static class EndpointSet
{
    /// <summary>Every endpoint, or every problem (each with its path and fix) when there is any.</summary>
    public static (IReadOnlyList<ScheduledEndpoint> Endpoints, IReadOnlyList<SpecProblem> Problems) Resolve(
        IReadOnlyList<EndpointRegistration> code, string? configPath, bool needWorkers)
    {
        var problems = new List<SpecProblem>();
        var endpoints = new List<ScheduledEndpoint>();
        var codeSpecs = code.Select(r => r.Builder.Build()).ToList();
        problems.AddRange(EndpointSpecValidator.Validate(codeSpecs, "code endpoints"));
        for (var i = 0; i < code.Count; i++)
        {
            if (code[i].Handler is null)
            {
                problems.Add(new SpecProblem($"code endpoints[{i}]", codeSpecs[i].Name,
                    $"Endpoint '{codeSpecs[i].Name}' has no handler.",
                    "Chain .Handle<TIn, TOut>(...) or .Stream<TIn, TChunk>(...) after app.Endpoint(...)."));
            }

            endpoints.Add(new ScheduledEndpoint(codeSpecs[i], null));
        }

        if (configPath is not null)
        {
            var yaml = HearthYaml.LoadFile(configPath);
            problems.AddRange(yaml.Problems);
            if (yaml.OtlpEndpoint is { } otlp
                && string.IsNullOrEmpty(Environment.GetEnvironmentVariable(HearthYaml.OtlpEndpointVariable)))
            {
                // tracing.otlp_endpoint means what the standard variable means; set here, the control plane and every
                // worker process started by this one export to it (the variable, when set, wins).
                Environment.SetEnvironmentVariable(HearthYaml.OtlpEndpointVariable, otlp);
            }

            var directory = Path.GetDirectoryName(Path.GetFullPath(configPath));
            for (var i = 0; i < yaml.Endpoints.Count; i++)
            {
                var spec = yaml.Endpoints[i];
                if (codeSpecs.Any(c => c.Name == spec.Name))
                {
                    problems.Add(new SpecProblem($"endpoints[{i}].name", spec.Name,
                        $"Endpoint '{spec.Name}' is declared both in code and in {configPath}.",
                        "Declare each endpoint once: remove it from hearth.yaml or rename one of them."));
                }
                else if (needWorkers && spec.Command is null && yaml.Problems.Count == 0)
                {
                    problems.Add(new SpecProblem($"endpoints[{i}].command", null,
                        $"Endpoint '{spec.Name}' has no command: and no C# handler, so dev cannot start its workers.",
                        "Add command: (for example 'python3 worker.py'), or run its workers "
                        + "yourself against 'hearth serve'."));
                }

                endpoints.Add(new ScheduledEndpoint(spec, directory));
            }
        }

        for (var i = 0; i < endpoints.Count; i++)
        {
            var spec = endpoints[i].Spec;
            if (needWorkers)
            {
                foreach (var (name, value) in spec.Env)
                {
                    foreach (var missing in EnvReferences.Missing(value))
                    {
                        problems.Add(new SpecProblem($"{spec.Name}.env.{name}", value,
                            $"It refers to ${{{missing}}}, which is not set in this environment.",
                            $"Set {missing} before starting Hearth (export {missing}=...), or remove the reference."));
                    }
                }
            }

            if (spec.Model is { } model && !spec.IsCpu)
            {
                try
                {
                    var estimate = MemoryModel.Estimate(model,
                        endpoints[i].WorkingDirectory ?? Directory.GetCurrentDirectory());
                    endpoints[i] = endpoints[i] with
                    {
                        BytesPerGpu = (estimate.ReservationBytes + spec.GpuCount - 1) / spec.GpuCount,
                    };
                }
                catch (Exception e) when (e is ModelConfigException or IOException)
                {
                    problems.Add(new SpecProblem($"{spec.Name}.model.config", model.Config, e.Message,
                        "Point model.config at a Hugging Face config.json (relative to hearth.yaml)."));
                }
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

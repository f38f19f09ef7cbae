using System.Globalization;
using System.Text.RegularExpressions;

namespace Hearth.Core.Endpoints;

/// <summary>Rules for a worker's surroundings: volume, env, model, command and health_path.</summary>
internal static partial class WorkerRules
{
    public static void Check(EndpointSpec spec, string path, List<SpecProblem> problems)
    {
        if (spec.Volume is { } volume)
        {
            CheckVolume(volume, $"{path}.volume", problems);
        }

        foreach (var key in (spec.Env ?? new Dictionary<string, string>()).Keys)
        {
            if (!EnvKeyPattern().IsMatch(key))
            {
                problems.Add(new($"{path}.env.{key}", key,
                    "environment variable names are letters, digits and '_', not starting with a digit",
                    $"rename it, e.g. '{EnvKeySuggestion(key)}'."));
            }
        }

        if (spec.Model is { } model)
        {
            CheckModel(model, $"{path}.model", problems);
        }

        if (spec.Command is not null && string.IsNullOrWhiteSpace(spec.Command))
        {
            problems.Add(new($"{path}.command", spec.Command, "command is empty",
                "give the worker's command line, e.g. 'python worker.py', or leave it out."));
        }

        if (spec.Protocol == WorkerProtocol.Push && string.IsNullOrWhiteSpace(spec.Command))
        {
            problems.Add(new($"{path}.protocol", "push", "protocol: push needs a command: (a runpod-python worker)",
                "add the worker's command line, or leave protocol out (pull)."));
        }

        if (spec.HealthPath is not null && !spec.HealthPath.StartsWith('/'))
        {
            problems.Add(new($"{path}.health_path", spec.HealthPath, "health_path must start with '/'",
                $"write it as a route, e.g. '/{spec.HealthPath.TrimStart('/')}'."));
        }
    }

    private static void CheckVolume(VolumeSpec volume, string path, List<SpecProblem> problems)
    {
        if (string.IsNullOrWhiteSpace(volume.Name))
        {
            problems.Add(new($"{path}.name", volume.Name, "volume name is missing",
                "name the volume, e.g. 'model-weights'."));
        }
        else if (!EndpointLimits.IsVolumeName(volume.Name))
        {
            // It becomes a directory under the data directory: '..' or a slash would put it anywhere.
            problems.Add(new($"{path}.name", volume.Name, "a volume name is 1 to 64 letters, digits, '-', '_' or '.', "
                + "not starting with '.'", "name it like a directory, e.g. 'model-weights'."));
        }

        if (volume.SizeGb is < EndpointLimits.MinVolumeSizeGb or > EndpointLimits.MaxVolumeSizeGb)
        {
            problems.Add(new($"{path}.size", Fmt(volume.SizeGb),
                $"volume size must be {EndpointLimits.MinVolumeSizeGb}–{EndpointLimits.MaxVolumeSizeGb} GB",
                "set the size in GB within that range, e.g. 100."));
        }

        if (volume.Datacenter is not null)
        {
            ComputeRules.CheckDatacenter(volume.Datacenter, $"{path}.datacenter", problems);
        }
    }

    private static void CheckModel(ModelSpec model, string path, List<SpecProblem> problems)
    {
        if (string.IsNullOrWhiteSpace(model.Config))
        {
            problems.Add(new($"{path}.config", model.Config, "model config is missing",
                "give the path to the model's Hugging Face config.json."));
        }

        CheckDtype(model.Dtype, $"{path}.dtype", problems);
        if (model.KvDtype is not null)
        {
            CheckDtype(model.KvDtype, $"{path}.kv_dtype", problems);
        }

        if (model.MaxContext is < 1)
        {
            problems.Add(new($"{path}.max_context", Fmt(model.MaxContext.Value), "max_context must be at least 1 token",
                "set the longest context a session reaches, e.g. 32768, or leave it out for the model's maximum."));
        }

        if (model.Concurrency < 1)
        {
            problems.Add(new($"{path}.concurrency", Fmt(model.Concurrency), "model concurrency must be at least 1",
                "set how many sessions one worker serves, e.g. 1."));
        }
    }

    private static void CheckDtype(string? dtype, string path, List<SpecProblem> problems)
    {
        if (dtype is not null && EndpointLimits.Dtypes.Contains(dtype, StringComparer.Ordinal))
        {
            return;
        }

        var closest = dtype is null ? null : ClosestName.Find(dtype, EndpointLimits.Dtypes);
        var hint = closest is not null ? $"did you mean '{closest}'? " : string.Empty;
        problems.Add(new(path, dtype, "unknown dtype",
            $"{hint}Use one of {string.Join(", ", EndpointLimits.Dtypes)}."));
    }

    private static string EnvKeySuggestion(string key)
    {
        var chars = key.Select(c => char.IsAsciiLetterOrDigit(c) ? char.ToUpperInvariant(c) : '_');
        var name = new string([.. chars]);
        return name.Length == 0 || char.IsAsciiDigit(name[0]) ? "_" + name : name;
    }

    private static string Fmt(int value) => value.ToString(CultureInfo.InvariantCulture);

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$", RegexOptions.CultureInvariant)]
    private static partial Regex EnvKeyPattern();
}

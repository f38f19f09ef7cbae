using Hearth.Core.Endpoints;
using YamlDotNet.RepresentationModel;

namespace Hearth.App.Config;

/// <summary>The settings of an endpoint that are lists or mappings: gpu, workers, volume, env, model and the exec form
/// of command.</summary>
internal static partial class EndpointReader
{
    private static readonly IReadOnlyList<string> VolumeKeys = ["name", "size", "datacenter"];
    private static readonly IReadOnlyList<string> ModelKeys = ["config", "dtype", "kv_dtype", "max_context",
        "concurrency"];

    /// <summary>A list of names (or one name).</summary>
    private static IReadOnlyList<string> ReadNames(YamlNode node, string path, YamlReader reader, string example)
    {
        if (node is YamlScalarNode)
        {
            return reader.Text(node, path, example) is { } one ? [one] : [];
        }

        if (node is not YamlSequenceNode list)
        {
            reader.Report(path, node, "expected a list of endpoint names", $"write e.g. {example}.");
            return [];
        }

        var names = new List<string>();
        for (var i = 0; i < list.Children.Count; i++)
        {
            if (reader.Text(list.Children[i], $"{path}[{i}]", "web-retrieval") is { } name)
            {
                names.Add(name);
            }
        }

        return names;
    }

    /// <summary><c>command</c>: a line run by <c>/bin/sh -c</c>, or a list (exec form) run as listed.</summary>
    private static string? ReadCommand(YamlNode node, string path, YamlReader reader)
    {
        const string Example = "'python3 -u worker.py' or [\"python3\", \"-u\", \"worker.py\"]";
        if (node is not YamlSequenceNode list)
        {
            return reader.Text(node, path, Example);
        }

        if (list.Children.Count == 0)
        {
            reader.Report(path, node, "the command list is empty",
                "name the program first, then its arguments, e.g. [\"python3\", \"-u\", \"worker.py\"].");
            return null;
        }

        var argv = new List<string>();
        for (var i = 0; i < list.Children.Count; i++)
        {
            if (reader.Text(list.Children[i], $"{path}[{i}]", i == 0 ? "\"python3\"" : "\"worker.py\"") is not { } arg)
            {
                return null;
            }

            argv.Add(arg);
        }

        return ExecCommand.ToShell(argv);
    }

    private static IReadOnlyList<string> ReadGpu(YamlNode node, string path, YamlReader reader)
    {
        if (node is YamlScalarNode)
        {
            return reader.Text(node, path, "'NVIDIA A100 80GB PCIe'") is { } one ? [one] : [];
        }

        if (node is not YamlSequenceNode list)
        {
            reader.Report(path, node, "expected a GPU name or a list of them",
                "write e.g. gpu: AMPERE_80 or gpu: [ADA_24, AMPERE_24].");
            return [];
        }

        var gpus = new List<string>();
        for (var i = 0; i < list.Children.Count; i++)
        {
            if (reader.Text(list.Children[i], $"{path}[{i}]", "AMPERE_80") is { } gpu)
            {
                gpus.Add(gpu);
            }
        }

        return gpus;
    }

    private static (int Min, int Max)? ReadWorkers(YamlNode node, string path, YamlReader reader)
    {
        const string fix = "write [min, max] such as [0, 3], or a single number n meaning [0, n].";
        if (node is YamlScalarNode)
        {
            return reader.Int(node, path, "[min, max] or a number of workers", "3") is { } max ? (0, max) : null;
        }

        if (node is YamlSequenceNode { Children.Count: 2 } pair &&
            pair.Children[0] is YamlScalarNode && pair.Children[1] is YamlScalarNode)
        {
            var min = reader.Int(pair.Children[0], path, "a whole number for min", "0");
            var max = min is null ? null : reader.Int(pair.Children[1], path, "a whole number for max", "3");
            return min is { } a && max is { } b ? (a, b) : null;
        }

        reader.Report(path, node, "expected [min, max] or a number of workers", fix);
        return null;
    }

    private static VolumeSpec? ReadVolume(YamlNode node, string path, YamlReader reader)
    {
        if (reader.Mapping(node, path, "{name: model-weights, size: 50}") is not { } map)
        {
            return null;
        }

        var volume = new VolumeSpec(string.Empty);
        foreach (var (key, value) in reader.Entries(map, path, VolumeKeys))
        {
            var at = $"{path}.{key}";
            volume = key switch
            {
                "name" => reader.Text(value, at, "model-weights") is { } name ? volume with { Name = name } : volume,
                "size" =>
                    reader.Int(value, at, "a size in GB", "100") is { } size ? volume with { SizeGb = size } : volume,
                _ => YamlReader.IsNull(value) ? volume : volume with { Datacenter = reader.Text(value, at, "US-GA-2") },
            };
        }

        return volume;
    }

    private static Dictionary<string, string> ReadEnv(YamlNode node, string path, YamlReader reader)
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        if (reader.Mapping(node, path, "{LOG_LEVEL: info}") is not { } map)
        {
            return env;
        }

        foreach (var (keyNode, value) in map.Children)
        {
            if (keyNode is not YamlScalarNode { Value: { } key })
            {
                reader.Report(path, keyNode, "environment variable names must be plain text",
                    "write NAME: value lines.");
                continue;
            }

            if (value is YamlScalarNode scalar)
            {
                env[key] = YamlReader.IsNull(value) ? string.Empty : scalar.Value ?? string.Empty;
            }
            else
            {
                reader.Report($"{path}.{key}", value, "environment variable values must be text",
                    "quote the value, e.g. KEY: \"value\".");
            }
        }

        return env;
    }

    private static ModelSpec? ReadModel(YamlNode node, string path, YamlReader reader)
    {
        if (reader.Mapping(node, path, "{config: models/llama/config.json, dtype: bf16}") is not { } map)
        {
            return null;
        }

        var model = new ModelSpec(string.Empty);
        foreach (var (key, value) in reader.Entries(map, path, ModelKeys))
        {
            var at = $"{path}.{key}";
            model = key switch
            {
                "config" => reader.Text(value, at, "models/llama/config.json") is { } config
                    ? model with { Config = config } : model,
                "dtype" => reader.Text(value, at, "bf16") is { } dtype ? model with { Dtype = dtype } : model,
                "kv_dtype" => YamlReader.IsNull(value) ? model : model with { KvDtype = reader.Text(value, at, "fp8") },
                "max_context" => reader.Int(value, at, "a number of tokens", "32768") is { } ctx
                    ? model with { MaxContext = ctx } : model,
                _ => reader.Int(value, at, "a number of sessions", "1") is { } c
                    ? model with { Concurrency = c } : model,
            };
        }

        return model;
    }
}

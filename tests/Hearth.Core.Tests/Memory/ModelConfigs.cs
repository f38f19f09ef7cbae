using Hearth.Core.Memory;

namespace Hearth.Core.Tests.Memory;

/// <summary>The shipped fixture configs, written from the models' published architecture numbers.</summary>
internal static class ModelConfigs
{
    public static string PathOf(string name) => Path.Combine(AppContext.BaseDirectory, "Memory", "configs", name + ".json");

    public static HfModelConfig Load(string name) => HfModelConfig.Load(PathOf(name));
}

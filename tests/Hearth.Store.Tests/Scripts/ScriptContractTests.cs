using System.Reflection;
using System.Text.RegularExpressions;
using Hearth.Core.Jobs;

namespace Hearth.Store.Tests.Scripts;

/// <summary>
/// The Lua scripts speak the same wire contract as Core: the prelude's status and reason constants equal
/// <see cref="JobStatus"/> and <see cref="JobReasons"/>, and no script spells one as a literal of its own.
/// </summary>
public sealed partial class ScriptContractTests
{
    private static readonly Assembly Store = typeof(IHearthStore).Assembly;

    private static string Script(string name)
    {
        var resource = Store.GetManifestResourceNames()
            .Single(r => r.EndsWith($".{name}.lua", StringComparison.Ordinal));
        using var reader = new StreamReader(Store.GetManifestResourceStream(resource)!);
        return reader.ReadToEnd();
    }

    private static IEnumerable<string> Constants(Type type) => type
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.IsLiteral && f.FieldType == typeof(string)).Select(f => (string)f.GetRawConstantValue()!);

    /// <summary>Every <c>local A, B = 'a', 'b'</c> of the prelude, name to value.</summary>
    private static Dictionary<string, string> PreludeConstants()
    {
        var found = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (Match m in LocalConstants().Matches(Script("prelude")))
        {
            var names = m.Groups["names"].Value.Split(',', StringSplitOptions.TrimEntries);
            var values = m.Groups["values"].Value.Split(',', StringSplitOptions.TrimEntries);
            Assert.Equal(names.Length, values.Length);
            foreach (var (name, value) in names.Zip(values))
            {
                found[name] = value.Trim('\'');
            }
        }

        return found;
    }

    private static IEnumerable<string> Contract() => Constants(typeof(JobStatus)).Concat(Constants(typeof(JobReasons)));

    [Fact]
    public void The_prelude_defines_every_status_and_reason_exactly_as_Core_does()
    {
        var lua = PreludeConstants();
        foreach (var status in Constants(typeof(JobStatus)))
        {
            Assert.Equal(status, lua.GetValueOrDefault(status));
        }

        foreach (var reason in Constants(typeof(JobReasons)))
        {
            Assert.Equal(reason, lua.GetValueOrDefault("R_" + reason.ToUpperInvariant()));
        }

        Assert.Equal(Contract().Order(), lua.Values.Order());
    }

    [Fact]
    public void No_script_spells_a_status_or_reason_as_a_literal_of_its_own()
    {
        var resources = Store.GetManifestResourceNames().Where(r => r.EndsWith(".lua", StringComparison.Ordinal));
        var contract = Contract().ToHashSet(StringComparer.Ordinal);
        var offenders = new List<string>();
        foreach (var resource in resources)
        {
            var name = resource.Split('.')[^2];
            var lines = Script(name).Split('\n');
            for (var i = 0; i < lines.Length; i++)
            {
                var code = lines[i].Split("--")[0];
                if (name == "prelude" && LocalConstants().IsMatch(code))
                {
                    continue; // the definitions themselves
                }

                offenders.AddRange(Literal().Matches(code).Select(m => m.Groups[1].Value).Where(contract.Contains)
                    .Select(v => $"{name}.lua:{i + 1}: '{v}'"));
            }
        }

        Assert.True(offenders.Count == 0, "use the prelude's constants instead: " + string.Join(", ", offenders));
    }

    [Fact]
    public void The_scripts_runaway_grace_is_Cores()
    {
        Assert.Contains($"local RUNAWAY_GRACE_MS = {(long)Hearth.Core.Scaling.RunawayRule.Grace.TotalMilliseconds} ",
            Script("prelude"), StringComparison.Ordinal);
    }

    [Fact]
    public void The_scripts_restart_quiet_spell_is_the_stores()
    {
        Assert.Contains($"local RESTART_QUIET_MS = {RedisHearthStore.RestartQuietMs} ", Script("prelude"),
            StringComparison.Ordinal);
    }

    [GeneratedRegex(@"^local (?<names>[A-Z_]+(?:, [A-Z_]+)*) = (?<values>'[^']*'(?:, '[^']*')*)\s*$",
        RegexOptions.Multiline)]
    private static partial Regex LocalConstants();

    [GeneratedRegex(@"'([^']*)'")]
    private static partial Regex Literal();
}

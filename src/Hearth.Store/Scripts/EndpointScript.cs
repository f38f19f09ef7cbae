using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using StackExchange.Redis;

namespace Hearth.Store.Scripts;

/// <summary>
/// An endpoint script as sent: the prelude's constants, the prelude helpers it calls (transitively, in prelude order),
/// a line binding each
/// endpoint key it names to a local of the same name, then its body. It declares exactly the keys it names, so Redis
/// parses and Garnet locks a dozen keys per call rather than all fifty, and every key it touches is still declared in
/// <c>KEYS</c> (Redis Cluster, Garnet's transactional scripts).
/// </summary>
internal sealed partial class EndpointScript
{
    private readonly ConcurrentDictionary<string, RedisKey[]> _keys = new(StringComparer.Ordinal);

    private EndpointScript(string text, IReadOnlyList<string> keyNames)
    {
        Text = text;
        KeyNames = keyNames;
    }

    /// <summary>The Lua text sent to the server.</summary>
    public string Text { get; }

    /// <summary>The endpoint keys it declares, in <c>KEYS</c> order.</summary>
    public IReadOnlyList<string> KeyNames { get; }

    /// <summary>Its <c>KEYS</c> for <paramref name="endpoint"/>.</summary>
    public RedisKey[] Keys(string endpoint) =>
        _keys.GetOrAdd(endpoint, (ep, names) => [.. names.Select(n => EndpointKeys.Key(ep, n))], KeyNames);

    /// <summary>Builds the script from its body and the prelude of shared helpers.</summary>
    public static EndpointScript Compose(string body, string prelude)
    {
        var helpers = Helpers(prelude);
        var used = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>([body]);
        while (pending.TryPop(out var text))
        {
            foreach (var id in Identifiers(text))
            {
                if (helpers.TryGetValue(id, out var helper) && used.Add(id))
                {
                    pending.Push(helper.Text);
                }
            }
        }

        // The prelude's constants (the wire contract's statuses and reasons) come first in every script.
        var first = FunctionStart().Match(prelude);
        var constants = string.Concat((first.Success ? prelude[..first.Index] : prelude).Split('\n')
            .Where(line => line.StartsWith("local ", StringComparison.Ordinal)).Select(line => line + "\n"));
        var code = constants + string.Concat(helpers.Values.OrderBy(h => h.Order).Where(h => used.Contains(h.Name))
            .Select(h => h.Text)) + body;
        var named = Identifiers(code).ToHashSet(StringComparer.Ordinal);
        string[] keys = [.. EndpointKeys.Names.Where(named.Contains)];
        var locals = keys.Length == 0
            ? string.Empty
            : "local " + string.Join(", ", keys) + " = " + string.Join(", ", keys.Select((_, i) => $"KEYS[{i + 1}]"))
                + "\n";
        return new EndpointScript(locals + code, keys);
    }

    /// <summary>The prelude's <c>local function</c>s by name, each with its text (up to the next one) and
    /// position.</summary>
    private static Dictionary<string, (string Name, string Text, int Order)> Helpers(string prelude)
    {
        var starts = FunctionStart().Matches(prelude);
        var helpers = new Dictionary<string, (string, string, int)>(StringComparer.Ordinal);
        for (var i = 0; i < starts.Count; i++)
        {
            var end = i + 1 < starts.Count ? starts[i + 1].Index : prelude.Length;
            var name = starts[i].Groups[1].Value;
            helpers[name] = (name, prelude[starts[i].Index..end], i);
        }

        return helpers;
    }

    /// <summary>Every Lua name in <paramref name="code"/>, strings and comments included: naming a key there only
    /// declares one key too many.</summary>
    private static IEnumerable<string> Identifiers(string code) => Identifier().Matches(code).Select(m => m.Value);

    [GeneratedRegex(@"^local function ([a-z_][a-z0-9_]*)\(", RegexOptions.Multiline)]
    private static partial Regex FunctionStart();

    [GeneratedRegex(@"\b[A-Za-z_][A-Za-z0-9_]*\b")]
    private static partial Regex Identifier();
}

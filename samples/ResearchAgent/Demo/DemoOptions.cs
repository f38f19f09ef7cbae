using System.Globalization;

namespace ResearchAgent.Demo;

/// <summary>The demo's command line: <c>[question] [--stay] [--chaos] [--out answer.json] [--port N] [--data DIR]</c>.</summary>
internal sealed record DemoOptions(string Question, bool Stay, bool Chaos, string? Out, int Port, string? Data)
{
    /// <summary>The question asked when none is given.</summary>
    public const string DefaultQuestion = "How do I stop agent jobs from pinning GPUs forever?";

    public static DemoOptions Parse(string[] args)
    {
        var words = new List<string>();
        bool stay = false, chaos = false;
        string? output = null, data = null;
        var port = 0;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--stay": stay = true; break;
                case "--chaos": chaos = true; break;
                case "--out": output = Value(args, ref i); break;
                case "--data": data = Value(args, ref i); break;
                case "--port":
                    var text = Value(args, ref i);
                    if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out port) || port > 65535)
                    {
                        throw new ArgumentException($"--port {text} is not a port. Fix: a number 0–65535 (0, the default, picks a free one).");
                    }

                    break;
                case var flag when flag.StartsWith("--", StringComparison.Ordinal):
                    throw new ArgumentException($"Unknown option {flag}. The demo takes: [question] [--stay] [--chaos] [--out answer.json] [--port N] [--data DIR]; Hearth commands: dev, serve, worker, lint, plan.");
                default: words.Add(args[i]); break;
            }
        }

        return new DemoOptions(words.Count > 0 ? string.Join(' ', words) : DefaultQuestion, stay, chaos, output, port, data);
    }

    private static string Value(string[] args, ref int i) =>
        i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
}

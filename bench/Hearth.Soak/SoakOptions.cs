using System.Globalization;

namespace Hearth.Soak;

/// <summary>What one soak run does. Every default is the short run's.</summary>
public sealed record SoakOptions
{
    /// <summary>Jobs to submit (acknowledged ones count). Default 2,000.</summary>
    public int Jobs { get; init; } = 2000;

    /// <summary>How long the load runs at most, in minutes; the submit rate spreads <see cref="Jobs"/> over it.
    /// Default 2.</summary>
    public double Minutes { get; init; } = 2;

    /// <summary><c>dev</c>, <c>serve</c> or <c>both</c>. Default dev.</summary>
    public string Mode { get; init; } = "dev";

    /// <summary>Where the history, the report and every process's log go.</summary>
    public string Out { get; init; } = "soak-out";

    /// <summary>Seed of every random choice (job mix, faults). Default: from the clock, printed in the report.</summary>
    public int Seed { get; init; } = Environment.TickCount;

    /// <summary>The job lease (HEARTH_LEASE_MS). Default 20 s: longer than the 10 s store outage plus a heartbeat, so
    /// an outage alone never loses a worker's job, and a pause past it is one that does.</summary>
    public int LeaseMs { get; init; } = 20_000;

    /// <summary>Seconds between faults, on average (0: no faults). Default 6.</summary>
    public double FaultEverySeconds { get; init; } = 6;

    /// <summary>Length of the declared store outage (serve). Default 10 s.</summary>
    public int StoreOutageMs { get; init; } = 10_000;

    /// <summary>Worker processes of the main endpoint. Default 3.</summary>
    public int Workers { get; init; } = 3;

    /// <summary>Jobs each worker runs at once. Default 8 (the handlers mostly wait, as agents do).</summary>
    public int Concurrency { get; init; } = 8;

    /// <summary>The job mix as kind=weight pairs (e.g. <c>zombie=50,slow=50</c>); null: the steady default mix
    /// (<see cref="Running.SoakJobs"/>).</summary>
    public IReadOnlyList<(string Kind, int Weight)>? Mix { get; init; }

    /// <summary>How long slow and zombie jobs run, in ms (from, to). Default 0.5–2.5 s.</summary>
    public (int From, int To) SlowMs { get; init; } = (500, 2500);

    /// <summary>Fault kinds to leave out (e.g. store-outage), comma-separated on the command line.</summary>
    public IReadOnlySet<string> NoFaults { get; init; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>Parses <c>--jobs N --minutes M --mode dev|serve|both --out DIR [--seed S] [--lease-ms L]
    /// [--fault-every S] [--workers W] [--concurrency C] [--no-fault kind,…] [--mix kind=w,…] [--slow-ms A-B]</c>.</summary>
    public static SoakOptions Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var o = new SoakOptions();
        for (var i = 0; i < args.Count; i++)
        {
            string Next() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            o = args[i] switch
            {
                "--jobs" => o with { Jobs = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--minutes" => o with { Minutes = double.Parse(Next(), CultureInfo.InvariantCulture) },
                "--mode" => o with { Mode = ParseMode(Next()) },
                "--out" => o with { Out = Next() },
                "--seed" => o with { Seed = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--lease-ms" => o with { LeaseMs = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--fault-every" => o with { FaultEverySeconds = double.Parse(Next(), CultureInfo.InvariantCulture) },
                "--workers" => o with { Workers = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--concurrency" => o with { Concurrency = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--mix" => o with { Mix = ParseMix(Next()) },
                "--slow-ms" => o with { SlowMs = ParseRange(Next()) },
                "--no-fault" => o with { NoFaults = Next().Split(',').ToHashSet(StringComparer.Ordinal) },
                _ => throw new ArgumentException($"Unknown option {args[i]}."),
            };
        }

        return o;
    }

    private static List<(string, int)> ParseMix(string value) =>
    [
        .. value.Split(',').Select(p => p.Split('=')).Select(p => (p[0], int.Parse(p[1], CultureInfo.InvariantCulture))),
    ];

    private static (int, int) ParseRange(string value) =>
        value.Split('-') is [var a, var b]
            ? (int.Parse(a, CultureInfo.InvariantCulture), int.Parse(b, CultureInfo.InvariantCulture))
            : throw new ArgumentException($"--slow-ms {value}: use FROM-TO in ms, e.g. 1000-4000.");

    private static string ParseMode(string value) => value is "dev" or "serve" or "both"
        ? value
        : throw new ArgumentException($"--mode {value}: use dev, serve or both.");
}

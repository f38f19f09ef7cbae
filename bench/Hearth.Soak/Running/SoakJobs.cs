using System.Text.Json.Nodes;

namespace Hearth.Soak.Running;

/// <summary>One job the load submits: its kind, endpoint, /run body and what the client does with it.</summary>
internal sealed record SoakJob(long Seq, string Kind, string Endpoint, JsonObject Body, long TimeoutMs, string? Session, string? Webhook, int CancelAfterMs);

/// <summary>The steady mix of jobs (weights out of 100) and each kind's parameters.</summary>
internal static class SoakJobs
{
    /// <summary>The endpoints' execution timeout (ms): long enough for every kind but the hangs, which set their
    /// own.</summary>
    public const int TimeoutMs = 60_000;

    /// <summary>The hangs' execution timeout (ms), the smallest a job may ask for.</summary>
    public const int HangTimeoutMs = 5_000;

    private static readonly IReadOnlyList<(string Kind, int Weight)> Mix =
    [
        ("normal", 43), ("slow", 8), ("zombie", 4), ("stream", 10), ("session", 14), ("error", 8), ("hang", 3), ("cancel", 10),
    ];

    /// <summary>Sessions the session jobs share (their journals and their worker affinity).</summary>
    private const int Sessions = 12;

    public static SoakJob Next(long seq, Random random, string? webhookBase, string run, SoakOptions options)
    {
        var kind = Pick(random, options.Mix ?? Mix);
        var input = new JsonObject { ["kind"] = kind, ["seq"] = seq };
        var body = new JsonObject { ["input"] = input };
        long timeout = TimeoutMs;
        string? session = null;
        var cancelAfter = 0;
        switch (kind)
        {
            case "normal" or "error":
                input["ms"] = random.Next(5, 40);
                break;
            case "slow":
                input["ms"] = random.Next(options.SlowMs.From, options.SlowMs.To);
                break;
            case "zombie":
                input["ms"] = random.Next(options.SlowMs.From + 500, options.SlowMs.To + 500);
                break;
            case "cancel":
                input["ms"] = random.Next(2000, 4000);
                cancelAfter = random.Next(200, 1200);
                break;
            case "stream":
                input["ms"] = random.Next(30, 150);
                input["chunks"] = random.Next(3, 8);
                break;
            case "session":
                input["ms"] = random.Next(50, 300);
                input["steps"] = 3;
                session = $"{run}-s{random.Next(Sessions)}";
                body["session_id"] = session;
                break;
            case "hang":
                // Half keep running 1-3 s after the stop (well within the runaway grace of 10 s), then post a late
                // result (refused: the job timed out).
                input["ignoreStopMs"] = random.Next(2) == 0 ? 0 : random.Next(1000, 3000);
                timeout = HangTimeoutMs;
                body["policy"] = new JsonObject { ["executionTimeout"] = HangTimeoutMs };
                break;
        }

        string? webhook = null;
        if (webhookBase is not null && random.Next(4) == 0)
        {
            // Some receivers fail: the first one or two deliveries answer 500, the retries get through.
            webhook = $"{webhookBase}/hook/{seq}?fail={random.Next(8) switch { 0 or 1 => 1, 2 => 2, _ => 0 }}";
            body["webhook"] = webhook;
        }

        return new SoakJob(seq, kind, kind == "stream" ? "soak-stream" : "soak", body, timeout, session, webhook, cancelAfter);
    }

    private static string Pick(Random random, IReadOnlyList<(string Kind, int Weight)> mix)
    {
        var n = random.Next(mix.Sum(m => m.Weight));
        foreach (var (kind, weight) in mix)
        {
            if ((n -= weight) < 0)
            {
                return kind;
            }
        }

        return "normal";
    }
}

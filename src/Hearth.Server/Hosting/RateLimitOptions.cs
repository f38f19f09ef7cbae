namespace Hearth.Server.Hosting;

/// <summary>
/// Rate limits on the client API, per key and endpoint and per kind of route (<see cref="RateClasses"/>): requests per
/// <see cref="Window"/> and requests in flight. A request over a limit is answered 429 with <c>Retry-After</c>; nothing
/// it asked for is done. Off by default in the library and in <c>hearth dev</c>; <c>hearth serve</c> turns them on with
/// Runpod's base limits (<see cref="Runpod"/>).
/// </summary>
public sealed class RateLimitOptions
{
    /// <summary>Whether limits apply. Default false.</summary>
    public bool Enabled { get; set; }

    /// <summary>The window the request counts are over. Default 10 s (Runpod's).</summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The limit of each kind of route (keys: <see cref="RateClasses"/>); a kind not listed is
    /// unlimited. Default <see cref="Runpod"/>.</summary>
    public IDictionary<string, RouteRateLimit> Routes { get; } = Runpod();

    /// <summary>
    /// Runpod's base limits per endpoint (requests per 10 s / in flight): <c>/runsync</c> 2000/400, <c>/run</c>
    /// 1000/200, <c>/status</c> and <c>/stream</c> 2000/400, <c>/cancel</c> 100/20, <c>/purge-queue</c> 2 per 10 s;
    /// <c>/health</c> as <c>/status</c>.
    /// </summary>
    public static Dictionary<string, RouteRateLimit> Runpod() => new(StringComparer.Ordinal)
    {
        [RateClasses.RunSync] = new(2000, 400),
        [RateClasses.Run] = new(1000, 200),
        [RateClasses.Status] = new(2000, 400),
        [RateClasses.Stream] = new(2000, 400),
        [RateClasses.Cancel] = new(100, 20),
        [RateClasses.Purge] = new(2, 0),
        [RateClasses.Health] = new(2000, 400),
    };
}

/// <summary>One kind of route's limit.</summary>
/// <param name="Requests">Requests per window; 0: unlimited.</param>
/// <param name="Concurrent">Requests in flight at once; 0: unlimited.</param>
public sealed record RouteRateLimit(int Requests, int Concurrent);

/// <summary>The kinds of client route that have a limit of their own.</summary>
public static class RateClasses
{
    /// <summary><c>/run</c> and <c>/retry</c>.</summary>
    public const string Run = "run";

    /// <summary><c>/runsync</c>.</summary>
    public const string RunSync = "runsync";

    /// <summary><c>/status</c> and <c>/status-sync</c>.</summary>
    public const string Status = "status";

    /// <summary><c>/stream</c>.</summary>
    public const string Stream = "stream";

    /// <summary><c>/cancel</c>.</summary>
    public const string Cancel = "cancel";

    /// <summary><c>/purge-queue</c>.</summary>
    public const string Purge = "purge";

    /// <summary><c>/health</c>.</summary>
    public const string Health = "health";
}

using Hearth.Soak.History;

namespace Hearth.Soak.Tests.Checking;

/// <summary>Builds small histories for the checker's tests: a clean job's life, and the pieces to break it.</summary>
internal static class Histories
{
    public const long Lease = 20_000;

    public static HistoryEvent Submit(string job, long t, string kind = "normal", string? webhook = null, string? session = null, long timeoutMs = 60_000) =>
        new() { Type = EventTypes.Submit, T0 = t - 2, T = t, Job = job, Http = 200, Kind = kind, Webhook = webhook, Scope = session, TimeoutMs = timeoutMs };

    public static HistoryEvent Take(string job, long t, int attempt, int pid) =>
        new() { Type = EventTypes.Take, T0 = t - 5, T = t, Job = job, Attempt = attempt, Worker = $"w{pid}", Pid = pid };

    public static HistoryEvent Start(string job, long t, int attempt, int pid, string nonce, string? session = null) =>
        new() { Type = EventTypes.Start, T = t, Job = job, Attempt = attempt, Worker = $"w{pid}", Pid = pid, Nonce = nonce, Scope = session };

    public static HistoryEvent Result(string job, long t, int attempt, int pid, string nonce, int? http = 200) =>
        new() { Type = EventTypes.Result, T0 = t - 3, T = t, Job = job, Attempt = attempt, Worker = $"w{pid}", Pid = pid, Nonce = nonce, Http = http, Status = "COMPLETED" };

    public static HistoryEvent Read(string job, long t, string status, string? nonce = null, int attempt = 1, long? delay = null, int http = 200) => new()
    {
        Type = EventTypes.Status, T0 = t - 3, T = t, Job = job, Http = http, Status = http == 200 ? status : null, DelayMs = delay,
        Output = nonce is null ? null : $"{{\"attempt\":{attempt},\"nonce\":\"{nonce}\"}}",
    };

    public static HistoryEvent Fault(string kind, long t, int? pid = null, long? until = null) =>
        new() { Type = EventTypes.Fault, Kind = kind, T = t, Pid = pid, Until = until };

    public static HistoryEvent Outage(long from, long until) =>
        new() { Type = EventTypes.Outage, Kind = FaultKinds.StoreOutage, T0 = from, T = until, Until = until };

    public static HistoryEvent Webhook(string job, long t, string status, string? nonce, bool valid = true) => new()
    {
        Type = EventTypes.Webhook, T = t, Job = job, Status = status, Valid = valid, Webhook = "msg_" + job,
        Output = nonce is null ? null : $"{{\"attempt\":1,\"nonce\":\"{nonce}\"}}",
    };

    /// <summary>One job's clean life: submitted, taken, run, result accepted, read final twice.</summary>
    public static List<HistoryEvent> Clean(string job = "j1", long t = 1_000_000, string nonce = "nonce-aaaaaaaaaaa1", string? webhook = null) =>
    [
        Submit(job, t, webhook: webhook),
        Take(job, t + 10, 1, 100),
        Start(job, t + 11, 1, 100, nonce),
        Read(job, t + 12, "IN_PROGRESS", delay: 8),
        Result(job, t + 50, 1, 100, nonce),
        Read(job, t + 60, "COMPLETED", nonce),
        Read(job, t + 2000, "COMPLETED", nonce),
    ];

    public static IReadOnlyList<HistoryEvent> With(this List<HistoryEvent> events, params HistoryEvent[] more) => [.. events, .. more];
}

namespace Hearth.Store.Scripts;

/// <summary>The Lua scripts, loaded once from embedded resources with the key locals and helpers they use
/// prepended.</summary>
internal static class ScriptLibrary
{
    private static readonly string Prelude = Read("prelude");

    public static readonly EndpointScript Submit = Load("submit");
    public static readonly EndpointScript Take = Load("take");
    public static readonly EndpointScript Done = Load("done");
    public static readonly EndpointScript Progress = Load("progress");
    public static readonly EndpointScript StreamAppend = Load("stream_append");
    public static readonly EndpointScript StreamRead = Load("stream_read");
    public static readonly EndpointScript Heartbeat = Load("heartbeat");
    public static readonly EndpointScript StopSignals = Load("stop_signals");
    public static readonly EndpointScript Get = Load("get");
    public static readonly EndpointScript Cancel = Load("cancel");
    public static readonly EndpointScript Retry = Load("retry");
    public static readonly EndpointScript Purge = Load("purge");
    public static readonly EndpointScript Sweep = Load("sweep");
    public static readonly EndpointScript Count = Load("count");
    public static readonly EndpointScript Retire = Load("retire");
    public static readonly EndpointScript HookClaim = Load("hook_claim");
    public static readonly EndpointScript HookSettle = Load("hook_settle");
    public static readonly EndpointScript Release = Load("release");
    public static readonly EndpointScript View = Load("view");
    public static readonly EndpointScript StepPut = Load("step_put");
    public static readonly EndpointScript StepGet = Load("step_get");
    public static readonly EndpointScript StateGet = Load("state_get");
    public static readonly EndpointScript StatePut = Load("state_put");
    public static readonly EndpointScript Sessions = Load("sessions");
    public static readonly EndpointScript SessionGet = Load("session_get");
    public static readonly EndpointScript Recent = Load("recent");
    public static readonly EndpointScript Detail = Load("detail");
    public static readonly EndpointScript TimeoutError = Load("timeout_error");
    public static readonly EndpointScript TimeoutDue = Load("timeout_due");
    public static readonly EndpointScript WorkerLost = Load("worker_lost");

    /// <summary>Trace keys carry their own hash tag (<c>{t:traceId}</c>), so these scripts get no endpoint
    /// prelude.</summary>
    public static readonly string SpanPut = Read("span_put");

    /// <summary>Marks spans hung at a deadline; trace keys only.</summary>
    public static readonly string SpanHung = Read("span_hung");

    /// <summary>Leadership keys are not endpoint keys, so this script gets no endpoint prelude.</summary>
    public static readonly string Leader = Read("leader");

    /// <summary>The node registry's scripts; cluster-wide keys (<c>{hearth}</c>), no endpoint prelude.</summary>
    public static readonly string NodeHeartbeat = Read("node_heartbeat");

    public static readonly string NodeLose = Read("node_lose");

    public static readonly string NodeUnassign = Read("node_unassign");

    public static readonly string NodeExit = Read("node_exit");

    public static readonly string NodeExitsTake = Read("node_exits_take");

    /// <summary>Stored keys and the audit log; cluster-wide keys (<c>{hearth}</c>), no endpoint prelude.</summary>
    public static readonly string KeyPut = Read("key_put");

    public static readonly string KeyRevoke = Read("key_revoke");

    public static readonly string AuditAppend = Read("audit_append");

    /// <summary>Move a store written in layout 1 (see <see cref="StoreLayout"/>): job fields, queues,
    /// deadlines.</summary>
    public static readonly EndpointScript Migrate = Load("migrate");

    public static readonly EndpointScript MigrateQueue = Load("migrate_queue");

    public static readonly EndpointScript MigrateDue = Load("migrate_due");

    /// <summary>Every endpoint script, for loading them all up front.</summary>
    public static IReadOnlyList<string> All =>
    [
        .. new[]
        {
            Submit, Take, Done, Progress, StreamAppend, StreamRead, Heartbeat, StopSignals, Get, Cancel, Retry,
            Purge, Sweep, Count, Retire, HookClaim, HookSettle, Release, View, StepPut, StepGet, StateGet, StatePut,
            Sessions, SessionGet, Recent, Detail,
            TimeoutError, TimeoutDue, WorkerLost, Migrate, MigrateQueue, MigrateDue,
        }.Select(s => s.Text),
        Leader, SpanPut, SpanHung, NodeHeartbeat, NodeLose, NodeUnassign, NodeExit, NodeExitsTake,
        KeyPut, KeyRevoke, AuditAppend,
    ];

    private static EndpointScript Load(string name) => EndpointScript.Compose(Read(name), Prelude);

    private static string Read(string name)
    {
        var assembly = typeof(ScriptLibrary).Assembly;
        var resource = $"Hearth.Store.Scripts.{name}.lua";
        using var stream = assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException(
                $"Embedded script '{resource}' is missing from {assembly.GetName().Name}.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}

namespace Hearth.Store.Scripts;

/// <summary>The Lua scripts, loaded once from embedded resources with the key locals and helpers prepended.</summary>
internal static class ScriptLibrary
{
    private static readonly string Prelude = EndpointKeys.LuaLocals + Read("prelude");

    public static readonly string Submit = Load("submit");
    public static readonly string Take = Load("take");
    public static readonly string Done = Load("done");
    public static readonly string Progress = Load("progress");
    public static readonly string StreamAppend = Load("stream_append");
    public static readonly string StreamRead = Load("stream_read");
    public static readonly string Heartbeat = Load("heartbeat");
    public static readonly string StopSignals = Load("stop_signals");
    public static readonly string Get = Load("get");
    public static readonly string Cancel = Load("cancel");
    public static readonly string Retry = Load("retry");
    public static readonly string Purge = Load("purge");
    public static readonly string Sweep = Load("sweep");
    public static readonly string Count = Load("count");
    public static readonly string Retire = Load("retire");
    public static readonly string Outbox = Load("outbox");
    public static readonly string Release = Load("release");
    public static readonly string View = Load("view");
    public static readonly string StepPut = Load("step_put");
    public static readonly string StepGet = Load("step_get");
    public static readonly string StateGet = Load("state_get");
    public static readonly string StatePut = Load("state_put");
    public static readonly string Sessions = Load("sessions");
    public static readonly string SessionGet = Load("session_get");
    public static readonly string Recent = Load("recent");
    public static readonly string Detail = Load("detail");
    public static readonly string TimeoutError = Load("timeout_error");
    public static readonly string TimeoutDue = Load("timeout_due");

    /// <summary>Trace keys carry their own hash tag (<c>{t:traceId}</c>), so these scripts get no endpoint prelude.</summary>
    public static readonly string SpanPut = Read("span_put");

    /// <summary>Marks spans hung at a deadline; trace keys only.</summary>
    public static readonly string SpanHung = Read("span_hung");

    /// <summary>Leadership keys are not endpoint keys, so this script gets no endpoint prelude.</summary>
    public static readonly string Leader = Read("leader");

    /// <summary>Every endpoint script, for loading them all up front.</summary>
    public static IReadOnlyList<string> All =>
    [
        Submit, Take, Done, Progress, StreamAppend, StreamRead, Heartbeat, StopSignals, Get, Cancel, Retry, Purge, Sweep,
        Count, Retire, Outbox, Release, View, Leader, StepPut, StepGet, StateGet, StatePut, Sessions, SessionGet, Recent, Detail, TimeoutError, TimeoutDue, SpanPut, SpanHung,
    ];

    private static string Load(string name) => Prelude + Read(name);

    private static string Read(string name)
    {
        var assembly = typeof(ScriptLibrary).Assembly;
        var resource = $"Hearth.Store.Scripts.{name}.lua";
        using var stream = assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"Embedded script '{resource}' is missing from {assembly.GetName().Name}.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}

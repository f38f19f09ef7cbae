namespace Hearth.Soak.History;

/// <summary>The kinds of <see cref="HistoryEvent"/>.</summary>
public static class EventTypes
{
    /// <summary>Client: a /run, with the job id when acknowledged.</summary>
    public const string Submit = "submit";

    /// <summary>Client: a /status read and what it answered.</summary>
    public const string Status = "status";

    /// <summary>Client: a /cancel.</summary>
    public const string Cancel = "cancel";

    /// <summary>Client: a /stream read (the chunks in <see cref="HistoryEvent.Output"/>).</summary>
    public const string Stream = "stream";

    /// <summary>Worker: a take answer handed it this job (attempt).</summary>
    public const string Take = "take";

    /// <summary>Worker: its handler began the attempt.</summary>
    public const string Start = "start";

    /// <summary>Worker: a journaled step's body began to run.</summary>
    public const string StepRun = "step-run";

    /// <summary>Worker: a journal write was answered (<see cref="HistoryEvent.Http"/>).</summary>
    public const string Journal = "journal";

    /// <summary>Worker: a journal read was answered.</summary>
    public const string JournalRead = "journal-read";

    /// <summary>Worker: a final result was posted and answered (or not).</summary>
    public const string Result = "result";

    /// <summary>Worker: a job was handed back (drain).</summary>
    public const string Release = "release";

    /// <summary>Worker: the control plane told it to stop a job (a ping's or job-stop's <c>jobsToStop</c>).</summary>
    public const string StopOrder = "stop-order";

    /// <summary>Worker: a heartbeat that got no 2xx answer.</summary>
    public const string PingFailed = "ping-failed";

    /// <summary>Worker: any request answered 5xx.</summary>
    public const string ServerError = "http-5xx";

    /// <summary>Receiver: a webhook delivery arrived.</summary>
    public const string Webhook = "webhook";

    /// <summary>Injector: a fault was applied.</summary>
    public const string Fault = "fault";

    /// <summary>Injector: a declared outage window (the store or a replica down on purpose).</summary>
    public const string Outage = "outage";

    /// <summary>Soak: settings and capabilities worth knowing when reading the history.</summary>
    public const string Note = "note";
}

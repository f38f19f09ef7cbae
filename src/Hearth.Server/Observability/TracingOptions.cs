namespace Hearth.Server.Observability;

/// <summary>Settings of the built-in span store. Every default is stated.</summary>
public sealed class TracingOptions
{
    /// <summary>Whether jobs are traced: a job gets a job span (its <c>traceparent</c> goes to the worker) and a trace.
    /// Off, jobs carry no trace context, workers report no spans for them, and only the job metrics are recorded.
    /// Default true.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Most spans kept per trace; later new spans are dropped (updates of kept spans still apply). Default
    /// 2000.</summary>
    public int MaxSpansPerTrace { get; set; } = 2000;

    /// <summary>Most spans one worker report (<c>job-spans</c>) may carry. Default 256.</summary>
    public int MaxSpansPerReport { get; set; } = 256;

    /// <summary>How long a trace is kept after its last write. Default 24 h (the default job TTL).</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Largest body of a worker's span report. Default 1 MB.</summary>
    public long MaxReportBytes { get; set; } = 1024 * 1024;
}

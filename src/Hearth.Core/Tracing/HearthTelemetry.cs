using System.Diagnostics;

namespace Hearth.Core.Tracing;

/// <summary>The names Hearth's telemetry goes by: one <see cref="ActivitySource"/> and one meter, both called
/// <c>Hearth</c>.</summary>
public static class HearthTelemetry
{
    /// <summary>The name of the activity source and of the meter.</summary>
    public const string Name = "Hearth";

    /// <summary>Where every Hearth span starts: <c>job</c>, <c>queue.wait</c>, <c>execute</c>, <c>step {name}</c>,
    /// <c>call {endpoint}</c>.</summary>
    public static readonly ActivitySource Source = new(Name);

    /// <summary>Span names.</summary>
    public static class Spans
    {
        /// <summary>A job from submit to its final state (control plane).</summary>
        public const string Job = "job";

        /// <summary>Submit to the take that started the last attempt (control plane).</summary>
        public const string QueueWait = "queue.wait";

        /// <summary>One attempt of the handler on a worker.</summary>
        public const string Execute = "execute";

        /// <summary>Prefix of <c>step {name}</c>.</summary>
        public const string StepPrefix = "step ";

        /// <summary>Prefix of <c>call {endpoint}</c>.</summary>
        public const string CallPrefix = "call ";
    }

    /// <summary>Attribute names.</summary>
    public static class Attributes
    {
        /// <summary>The endpoint the span's job belongs to.</summary>
        public const string Endpoint = "hearth.endpoint";

        /// <summary>The job id.</summary>
        public const string JobId = "hearth.job_id";

        /// <summary>The job's session id, when it has one.</summary>
        public const string SessionId = "hearth.session_id";

        /// <summary>The worker that ran it.</summary>
        public const string WorkerId = "hearth.worker_id";

        /// <summary>The attempt (1 for the first grant).</summary>
        public const string Attempt = "hearth.attempt";

        /// <summary>The job's final status (<c>COMPLETED</c>, <c>TIMED_OUT</c>, …).</summary>
        public const string Status = "hearth.status";

        /// <summary>True on spans that were still open at their job's execution deadline.</summary>
        public const string Hung = "hearth.hung";

        /// <summary>The step key, indexed when repeated (<c>web-retrieval[2]</c>).</summary>
        public const string Step = "hearth.step";

        /// <summary>The call, indexed when the endpoint is called again in the job (<c>web-retrieval[2]</c>).</summary>
        public const string Call = "hearth.call";

        /// <summary>The job id of a call's sub-job.</summary>
        public const string CalleeJobId = "hearth.callee_job_id";
    }

    /// <summary>W3C <c>traceparent</c> of a sampled span: <c>00-traceId-spanId-01</c>.</summary>
    public static string TraceParent(string traceId, string spanId) => $"00-{traceId}-{spanId}-01";
}

using System.Diagnostics;
using System.Text.Json;
using Hearth.Core.Tracing;

namespace Hearth.Worker.Tracing;

/// <summary>
/// The worker's spans: <c>execute</c> (one attempt of the handler, a child of the job span whose <c>traceparent</c>
/// came with the job), and inside it <c>step {name}</c> and <c>call {endpoint}</c>. Plain <see cref="Activity"/>s of
/// the <c>Hearth</c> source, so any OpenTelemetry exporter sees them; <see cref="SpanReporter"/> also sends them to the
/// control plane.
/// </summary>
internal static class WorkerSpans
{
    private const string CallCounts = "hearth.call_counts";

    /// <summary>Starts the execute span of a job; null when nothing listens.</summary>
    public static Activity? StartExecute(JsonElement job, string jobId, string workerId, string? endpoint)
    {
        ActivityContext parent = default;
        if (job.TryGetProperty("traceparent", out var tp) && tp.ValueKind == JsonValueKind.String)
        {
            ActivityContext.TryParse(tp.GetString(), null, out parent);
        }

        // A job taken without a traceparent (another control plane) starts its own trace rather than joining whatever
        // is current.
        var previous = Activity.Current;
        Activity.Current = null;
        // Tags given at creation are visible to listeners when the span starts (the reporter sends it open at once).
        var tags = new List<KeyValuePair<string, object?>>
        {
            new(HearthTelemetry.Attributes.WorkerId, workerId),
            new(HearthTelemetry.Attributes.JobId, jobId),
            new(HearthTelemetry.Attributes.Endpoint, endpoint),
        };
        if (job.TryGetProperty("session_id", out var s) && s.ValueKind == JsonValueKind.String)
        {
            tags.Add(new(HearthTelemetry.Attributes.SessionId, s.GetString()));
        }

        var activity = HearthTelemetry.Source.StartActivity(HearthTelemetry.Spans.Execute, ActivityKind.Consumer,
            parent, tags);
        if (activity is null)
        {
            Activity.Current = previous;
            return null;
        }

        activity.SetCustomProperty(CallCounts, new Dictionary<string, int>(StringComparer.Ordinal));
        return activity;
    }

    /// <summary>Starts a step span under the current execute span.</summary>
    public static Activity? StartStep(string name, string key, string jobId)
    {
        var activity = HearthTelemetry.Source.StartActivity(HearthTelemetry.Spans.StepPrefix + name,
            ActivityKind.Internal, default(ActivityContext),
            [new(HearthTelemetry.Attributes.Step, key), new(HearthTelemetry.Attributes.JobId, jobId)]);
        return activity;
    }

    /// <summary>Starts a call span; its tag <c>hearth.call</c> indexes repeated calls of one endpoint within the
    /// job.</summary>
    public static Activity? StartCall(string endpoint)
    {
        var execute = Execute(Activity.Current);
        var n = 1;
        if (execute?.GetCustomProperty(CallCounts) is Dictionary<string, int> counts)
        {
            lock (counts)
            {
                n = counts[endpoint] = counts.GetValueOrDefault(endpoint) + 1;
            }
        }

        return HearthTelemetry.Source.StartActivity(HearthTelemetry.Spans.CallPrefix + endpoint, ActivityKind.Client,
            default(ActivityContext),
            [new(HearthTelemetry.Attributes.Call, n == 1 ? endpoint : $"{endpoint}[{n}]"),
                new(HearthTelemetry.Attributes.JobId, execute?.GetTagItem(HearthTelemetry.Attributes.JobId))]);
    }

    /// <summary>Awaits <paramref name="work"/>, marking the span ok, or error with the exception's message.</summary>
    public static async Task<T> TrackAsync<T>(Activity? span, Task<T> work)
    {
        try
        {
            var result = await work.ConfigureAwait(false);
            span?.SetStatus(ActivityStatusCode.Ok);
            return result;
        }
        catch (Exception e)
        {
            span?.SetStatus(ActivityStatusCode.Error, e.Message);
            throw;
        }
    }

    /// <summary>The execute span <paramref name="activity"/> belongs to (itself or an ancestor in this process), or
    /// null.</summary>
    public static Activity? Execute(Activity? activity)
    {
        for (var a = activity; a is not null; a = a.Parent)
        {
            if (a.OperationName == HearthTelemetry.Spans.Execute && a.Source == HearthTelemetry.Source)
            {
                return a;
            }
        }

        return null;
    }
}

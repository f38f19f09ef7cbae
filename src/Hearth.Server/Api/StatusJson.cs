using System.Text.Json;
using Hearth.Core.Jobs;
using Hearth.Store.Jobs;

namespace Hearth.Server.Api;

/// <summary>The job status body of spec §1.5, written field for field.</summary>
internal static class StatusJson
{
    /// <summary>
    /// Writes a job's status. Final bodies (and every <c>/runsync</c> body that is final) always carry
    /// <c>workerId</c>, <c>delayTime</c> and <c>executionTime</c>, which runpod-flash requires. A queued job of an
    /// endpoint that is not serving also carries <c>waiting</c> (a Hearth extension): why no worker takes it.
    /// </summary>
    public static void Write(Utf8JsonWriter w, JobSnapshot job, string? waiting = null)
    {
        w.WriteStartObject();
        w.WriteString("id", job.Id);
        w.WriteString("status", job.Status);
        var final = JobStatus.IsFinal(job.Status);
        if (final || job.DelayTimeMs is not null)
        {
            w.WriteNumber("delayTime", job.DelayTimeMs ?? 0);
        }

        if (final)
        {
            w.WriteNumber("executionTime", job.ExecutionTimeMs ?? 0);
        }

        if (final || job.WorkerId is not null)
        {
            w.WriteString("workerId", job.WorkerId ?? string.Empty);
        }

        if (job.OutputJson is not null)
        {
            w.WritePropertyName("output");
            w.WriteRawValue(job.OutputJson, skipInputValidation: true);
        }

        if (job.Error is not null)
        {
            w.WriteString("error", job.Error);
        }

        if (waiting is not null)
        {
            w.WriteString("waiting", waiting);
        }

        w.WriteEndObject();
    }

    public static void WriteIdStatus(Utf8JsonWriter w, string id, string status)
    {
        w.WriteStartObject();
        w.WriteString("id", id);
        w.WriteString("status", status);
        w.WriteEndObject();
    }
}

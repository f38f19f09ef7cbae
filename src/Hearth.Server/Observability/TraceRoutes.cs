using System.Text.Json;
using Hearth.Core.Tracing;
using Hearth.Core.Wire;
using Hearth.Server.Admin;
using Hearth.Server.Api;
using Hearth.Server.Auth;
using Hearth.Server.Jobs;
using Hearth.Store;
using Hearth.Store.Traces;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Hearth.Server.Observability;

/// <summary>
/// <c>POST /v2/{endpoint}/job-spans/{workerId}</c> (worker token; a Hearth extension Runpod workers never call): a
/// worker's
/// batch of started and finished spans. <c>GET /api/jobs/{id}/trace</c> (admin key): the job's whole trace.
/// </summary>
internal static class TraceRoutes
{
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGroup(ApiRoutes.Endpoint).RequireKind(PrincipalKind.Worker)
            .MapPost($"/{ApiRoutes.JobSpans}/{{workerId}}", ReportAsync);
        app.MapGroup("/api").MapGet("/jobs/{id}/trace", TraceAsync);
    }

    private static async Task<IResult> ReportAsync(
        string endpoint, string workerId, HttpContext http, JobTracing tracing, IJobStore store)
    {
        var (document, bodyError) = await RequestBody.ReadJsonAsync(http, tracing.Options.MaxReportBytes, "job-spans");
        if (bodyError is not null)
        {
            return bodyError;
        }

        using (document)
        {
            var root = document!.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("spans", out var list)
                || list.ValueKind != JsonValueKind.Array)
            {
                return ApiResults.Error(400, "The job-spans body must be {\"spans\": [...]}.",
                    "Send the spans as an array under 'spans'; see docs/observability.md.");
            }

            if (list.GetArrayLength() > tracing.Options.MaxSpansPerReport)
            {
                return ApiResults.Error(413, $"The report holds {list.GetArrayLength()} spans; at most "
                    + $"{tracing.Options.MaxSpansPerReport} are accepted at once.",
                    "Send the spans in several smaller batches.");
            }

            var source = "worker:" + workerId;
            var spans = new List<SpanRecord>();
            var index = 0;
            foreach (var element in list.EnumerateArray())
            {
                if (SpanJson.Read(element, source, out var error) is not { } span)
                {
                    return ApiResults.Error(400, $"spans[{index}] is invalid: {error}.",
                        "Fix that span (W3C ids in lowercase hex, startMs/endMs in Unix ms) and send the batch again.");
                }

                spans.Add(span);
                index++;
            }

            long written = 0;
            foreach (var trace in spans.GroupBy(s => s.TraceId, StringComparer.Ordinal))
            {
                // A worker writes only into the traces of jobs it ran: another job's trace (and its timeout
                // diagnosis) is not its to change.
                if (!await RanAsync(store, endpoint, workerId, trace.Key, trace, http.RequestAborted))
                {
                    continue;
                }

                // The last report of a span in the batch is its latest state.
                var latest = trace.GroupBy(s => s.SpanId, StringComparer.Ordinal).Select(g => g.Last())
                    .Select(s => new StoredSpan(s.SpanId, s.Open, SpanJson.ToJson(s))).ToList();
                written += await tracing.Traces.PutSpansAsync(trace.Key, latest, tracing.Options.MaxSpansPerTrace,
                    tracing.Options.Retention, http.RequestAborted);
            }

            return ApiResults.Json(w =>
            {
                w.WriteStartObject();
                w.WriteNumber("accepted", written);
                w.WriteNumber("dropped", spans.Count - written);
                w.WriteEndObject();
            });
        }
    }

    /// <summary>Whether one of the jobs the spans name (<c>hearth.job_id</c>) is in trace <paramref name="traceId"/>
    /// and was run last by <paramref name="workerId"/>.</summary>
    private static async Task<bool> RanAsync(IJobStore store, string endpoint, string workerId, string traceId,
        IEnumerable<SpanRecord> spans, CancellationToken cancellationToken)
    {
        var named = spans
            .Select(s => s.Attributes.TryGetValue(HearthTelemetry.Attributes.JobId, out var id)
                && id.ValueKind == JsonValueKind.String ? id.GetString() : null)
            .OfType<string>().Distinct(StringComparer.Ordinal).Take(8);
        foreach (var jobId in named)
        {
            var job = await store.GetAsync(endpoint, jobId, cancellationToken).ConfigureAwait(false);
            if (job is not null && job.WorkerId == workerId
                && JobTraceContext.Parse(job.TraceContext)?.TraceId == traceId)
            {
                return true;
            }
        }

        return false;
    }

    private static async Task<IResult> TraceAsync(
        string id, HttpContext http, JobService jobs, IJobStore store, JobTracing tracing)
    {
        if (await AdminAccess.DeniedAsync(http) is { } denied)
        {
            return denied;
        }

        if (await TraceView.FindAsync(jobs, store, id, http.RequestAborted) is not var (endpoint, job))
        {
            return ApiResults.Error(404, $"Job '{id}' does not exist on any endpoint.",
                "Check the id; results are kept 30 min after /run and 1 min after /runsync, and a job is deleted when "
                + "its TTL runs out.");
        }

        if (JobTraceContext.Parse(job.TraceContext) is not { } context)
        {
            return ApiResults.Error(404, $"Job '{id}' of endpoint '{endpoint}' has no trace.",
                "It was submitted before this control plane recorded traces; submit it again to trace it.");
        }

        var spans = await TraceView.SpansAsync(jobs, store, tracing, endpoint, job, context, http.RequestAborted);
        return ApiResults.Json(w => TraceView.Write(w, endpoint, id, context.TraceId, spans, jobs.NowMs));
    }
}

using System.Globalization;
using System.Text.Json;
using Hearth.Core.Jobs;
using Hearth.Server.Hosting;
using Hearth.Server.Jobs;
using Hearth.Store.Jobs;
using Microsoft.AspNetCore.Http;

namespace Hearth.Server.Api;

/// <summary>
/// Reads a <c>/run</c> or <c>/runsync</c> request (spec §1.3) into a <see cref="JobSubmission"/>. Only the documented
/// fields are read — <c>input</c>, <c>webhook</c>, <c>policy</c>, <c>s3Config</c>, and Hearth's <c>session_id</c> and
/// <c>parent_job_id</c> — so a client cannot set status, attempts or workers.
/// </summary>
internal static class SubmitRequest
{
    public static (JobSubmission? Request, IResult? Error) Parse(
        JsonDocument document, EndpointOptions endpoint, IQueryCollection query) =>
        Parse(document?.RootElement ?? throw new ArgumentNullException(nameof(document)), endpoint, query);

    /// <summary>One request object (a <c>/run</c> body, or an item of <c>/runbatch</c>).</summary>
    public static (JobSubmission? Request, IResult? Error) Parse(
        JsonElement root, EndpointOptions endpoint, IQueryCollection query)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return Fail($"The request body is a JSON {Kind(root)}, not an object.",
                "Wrap it: {\"input\": <your value>}.");
        }

        if (!root.TryGetProperty("input", out var input) || input.ValueKind == JsonValueKind.Null)
        {
            return Fail("The request has no 'input'.",
                "Put the handler's input under 'input', for example {\"input\": {\"prompt\": \"hello\"}}.");
        }

        string? webhook = null;
        if (root.TryGetProperty("webhook", out var hook) && hook.ValueKind != JsonValueKind.Null)
        {
            if (hook.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(hook.GetString()))
            {
                return Fail("'webhook' must be a URL string.",
                    "Use an https URL that can receive a POST, or leave 'webhook' out.");
            }

            webhook = hook.GetString();
        }

        string? s3 = null;
        if (root.TryGetProperty("s3Config", out var s3Config) && s3Config.ValueKind != JsonValueKind.Null)
        {
            if (s3Config.ValueKind != JsonValueKind.Object)
            {
                return Fail("'s3Config' must be an object.",
                    "Use {\"accessId\", \"accessSecret\", \"bucketName\", \"endpointUrl\"} or leave it out.");
            }

            s3 = s3Config.GetRawText();
        }

        string? session = null;
        if (root.TryGetProperty("session_id", out var sessionElement) && sessionElement.ValueKind != JsonValueKind.Null)
        {
            session = sessionElement.ValueKind == JsonValueKind.String ? sessionElement.GetString() : null;
            if (string.IsNullOrWhiteSpace(session) || session.Length > 128 || session.Any(char.IsControl))
            {
                return Fail("'session_id' must be a string of 1 to 128 printable characters.",
                    "Use a stable id per conversation or agent run, e.g. \"session_id\": \"chat-42\"; leave it out for "
                    + "a stand-alone job.");
            }

            // A job's own journal is the session 'job:<id>': a client naming one would read and later delete another
            // job's steps.
            if (session.StartsWith(SessionLimits.OwnPrefix, StringComparison.Ordinal))
            {
                return Fail($"'session_id' may not begin with '{SessionLimits.OwnPrefix}': that prefix names a "
                    + "job's own journal.", "Choose another id, e.g. \"session_id\": \"chat-42\".");
            }
        }

        string? parent = null;
        if (root.TryGetProperty("parent_job_id", out var parentElement)
            && parentElement.ValueKind != JsonValueKind.Null)
        {
            parent = parentElement.ValueKind == JsonValueKind.String ? parentElement.GetString() : null;
            if (string.IsNullOrWhiteSpace(parent) || parent.Length > 128 || parent.Any(char.IsControl))
            {
                return Fail("'parent_job_id' must be a string of 1 to 128 printable characters.",
                    "The worker SDK sets it on ctx.CallAsync sub-jobs; leave it out otherwise.");
            }
        }

        var exec = endpoint.ExecutionTimeoutMs;
        var ttl = endpoint.TtlMs;
        var low = false;
        if (root.TryGetProperty("policy", out var policy) && policy.ValueKind != JsonValueKind.Null)
        {
            if (policy.ValueKind != JsonValueKind.Object)
            {
                return Fail("'policy' must be an object.",
                    "Use {\"executionTimeout\": ms, \"ttl\": ms, \"lowPriority\": bool} or leave it out.");
            }

            if (!TryMs(policy, "executionTimeout", JobLimits.MinExecutionTimeoutMs, endpoint.MaxExecutionTimeoutMs,
                ref exec, out var e1))
            {
                return (null, e1);
            }

            if (!TryMs(policy, "ttl", JobLimits.MinTtlMs, endpoint.MaxTtlMs, ref ttl, out var e2))
            {
                return (null, e2);
            }

            if (policy.TryGetProperty("lowPriority", out var lp) && lp.ValueKind != JsonValueKind.Null)
            {
                if (lp.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
                {
                    return Fail("'policy.lowPriority' must be true or false.",
                        "Send \"lowPriority\": true to queue the job behind normal jobs.");
                }

                low = lp.GetBoolean();
            }
        }

        if (query.TryGetValue("ttl", out var ttlQuery))
        {
            if (!long.TryParse(ttlQuery, NumberStyles.None, CultureInfo.InvariantCulture, out var q)
                || q < JobLimits.MinTtlMs || q > endpoint.MaxTtlMs)
            {
                return Fail($"The ttl query parameter '{ttlQuery}' is not a whole number of milliseconds between "
                    + $"{JobLimits.MinTtlMs} and {endpoint.MaxTtlMs} (this endpoint's limit).",
                    "Use for example ?ttl=3600000 for one hour.");
            }

            ttl = q;
        }

        return (new JobSubmission(input.GetRawText(), webhook, s3, exec, ttl, low, session, parent), null);
    }

    private static bool TryMs(JsonElement policy, string name, long min, long max, ref long value, out IResult? error)
    {
        error = null;
        if (!policy.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null)
        {
            return true;
        }

        if (v.ValueKind != JsonValueKind.Number || !v.TryGetInt64(out var ms) || ms < min || ms > max)
        {
            error = ApiResults.Error(400, $"'policy.{name}' is {v.GetRawText()}; it must be a whole number of "
                + $"milliseconds between {min} and {max} (this endpoint's limit).",
                $"Send for example \"{name}\": {Math.Max(min, 60_000)}.");
            return false;
        }

        value = ms;
        return true;
    }

    private static (JobSubmission?, IResult?) Fail(string error, string hint) =>
        (null, ApiResults.Error(400, error, hint));

    private static string Kind(JsonElement e) => e.ValueKind.ToString().ToLowerInvariant();
}

using System.CommandLine;
using System.Text.Json;
using Hearth.App.Admin;

namespace Hearth.App.Jobs;

/// <summary><c>hearth jobs trace &lt;id&gt;</c>: a job's trace (its spans and those of the jobs it called) as a
/// terminal waterfall.</summary>
internal static class JobsCommand
{
    public static Command Create()
    {
        var id = new Argument<string>("id") { Description = "The job id (as /run returned it)." };
        var server = AdminCall.ServerOption();
        var adminKey = AdminCall.AdminKeyOption();
        var format = new Option<string>("--format")
        {
            Description = "Output: a waterfall (text) or the trace API's JSON (json).",
            DefaultValueFactory = _ => "text",
        };
        format.AcceptOnlyFromAmong("text", "json");
        var trace = new Command("trace", """
            Print a job's trace as a waterfall: the control plane's job and queue.wait spans, the worker's execute, step
            and call spans, and the spans of the jobs it called. Spans still open are marked, and those that were open
            when the job timed out are flagged HUNG.

            Examples:
              hearth jobs trace 5d9af8fb-5b65-4955-a730-c9c1ee2988bb --admin-key $HEARTH_ADMIN_KEY
              hearth jobs trace $ID --server http://10.0.0.5:8080 --format json
            """) { id, server, adminKey, format };
        trace.SetAction((parse, ct) => TraceAsync(
            parse.GetValue(server)!, parse.GetValue(adminKey) ?? Environment.GetEnvironmentVariable("HEARTH_ADMIN_KEY"),
            parse.GetValue(id)!,
            parse.GetValue(format) == "json", Console.Out, Console.Error, ct));
        return new Command("jobs", "Look at jobs on a running control plane.") { trace };
    }

    /// <summary>Fetches and prints the trace; returns 0, 1 when the server refused (with its error and hint), 2 when it
    /// could not be reached.</summary>
    public static async Task<int> TraceAsync(string server, string? adminKey, string jobId, bool json,
        TextWriter output, TextWriter error, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        var (exit, body) = await new AdminCall(server, adminKey, error).SendAsync(HttpMethod.Get,
            $"/api/jobs/{Uri.EscapeDataString(jobId)}/trace", json: null, cancellationToken).ConfigureAwait(false);
        if (exit != 0)
        {
            return exit;
        }

        if (json)
        {
            await output.WriteLineAsync(body).ConfigureAwait(false);
            return 0;
        }

        using var doc = JsonDocument.Parse(body);
        TraceWaterfall.Write(doc.RootElement, output);
        return 0;
    }
}

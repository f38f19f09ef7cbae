using System.CommandLine;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Hearth.App.Jobs;

/// <summary><c>hearth jobs trace &lt;id&gt;</c>: a job's trace (its spans and those of the jobs it called) as a
/// terminal waterfall.</summary>
internal static class JobsCommand
{
    /// <summary>The control plane asked when neither <c>--server</c> nor <c>HEARTH_SERVER</c> is given.</summary>
    public const string DefaultServer = "http://127.0.0.1:8080";

    public static Command Create()
    {
        var id = new Argument<string>("id") { Description = "The job id (as /run returned it)." };
        var server = new Option<string>("--server")
        {
            Description = "The control plane's base URL (env HEARTH_SERVER).",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable("HEARTH_SERVER") ?? DefaultServer,
        };
        var adminKey = new Option<string?>("--admin-key")
        {
            Description = "Admin key (env HEARTH_ADMIN_KEY); hearth dev prints it.",
        };
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
        if (string.IsNullOrEmpty(adminKey))
        {
            await error.WriteLineAsync(
                "No admin key: pass --admin-key or set HEARTH_ADMIN_KEY (hearth dev prints the key it generated).")
                .ConfigureAwait(false);
            return 1;
        }

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        using var request = new HttpRequestMessage(HttpMethod.Get,
            $"{server.TrimEnd('/')}/api/jobs/{Uri.EscapeDataString(jobId)}/trace");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", adminKey);
        string body;
        HttpStatusCode status;
        try
        {
            using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            status = response.StatusCode;
            body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e)
            when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            await error.WriteLineAsync($"Could not reach the control plane at {server}: {e.Message}. Check --server "
                + "(or HEARTH_SERVER) and that it runs.").ConfigureAwait(false);
            return 2;
        }

        if (status != HttpStatusCode.OK)
        {
            await error.WriteLineAsync(Describe(status, body)).ConfigureAwait(false);
            return 1;
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

    private static string Describe(HttpStatusCode status, string body)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            var e = doc.RootElement;
            return $"{(int)status}: {e.GetProperty("error").GetString()} {(e.TryGetProperty("hint", out var h)
                ? h.GetString() : string.Empty)}".TrimEnd();
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return $"{(int)status}: {body}";
        }
    }
}

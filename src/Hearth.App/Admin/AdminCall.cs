using System.CommandLine;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Hearth.App.Admin;

/// <summary>
/// One request to a running control plane's admin API, as the CLI's commands make it: the admin key, a bounded wait,
/// and every failure turned into one line that names the fix. Exit codes: 0 done, 1 refused (the server's error and
/// hint), 2 not reached.
/// </summary>
internal sealed class AdminCall(string server, string? adminKey, TextWriter error)
{
    /// <summary>The control plane asked when neither <c>--server</c> nor <c>HEARTH_SERVER</c> is given.</summary>
    public const string DefaultServer = "http://127.0.0.1:8080";

    /// <summary><c>--server</c>: the control plane's base URL (env <c>HEARTH_SERVER</c>).</summary>
    public static Option<string> ServerOption() => new("--server")
    {
        Description = "The control plane's base URL (env HEARTH_SERVER).",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("HEARTH_SERVER") ?? DefaultServer,
    };

    /// <summary><c>--admin-key</c> (env <c>HEARTH_ADMIN_KEY</c>, read by <see cref="For"/>).</summary>
    public static Option<string?> AdminKeyOption() => new("--admin-key")
    {
        Description = "Admin key (env HEARTH_ADMIN_KEY); hearth dev prints it.",
    };

    /// <summary>The call a parsed command line asks for.</summary>
    public static AdminCall For(
        ParseResult parse, Option<string> server, Option<string?> adminKey, TextWriter error) =>
        new(parse?.GetValue(server)!, parse!.GetValue(adminKey) ?? Environment.GetEnvironmentVariable(
            "HEARTH_ADMIN_KEY"), error);

    /// <summary>Sends the request; on success returns 0 and the answer's body.</summary>
    public async Task<(int Exit, string Body)> SendAsync(
        HttpMethod method, string path, string? json, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(adminKey))
        {
            await error.WriteLineAsync(
                "No admin key: pass --admin-key or set HEARTH_ADMIN_KEY (hearth dev prints the key it generated).")
                .ConfigureAwait(false);
            return (1, string.Empty);
        }

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        using var request = new HttpRequestMessage(method, $"{server.TrimEnd('/')}{path}");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", adminKey);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        try
        {
            using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            if (response.IsSuccessStatusCode)
            {
                return (0, body);
            }

            await error.WriteLineAsync(Describe(response.StatusCode, body)).ConfigureAwait(false);
            return (1, body);
        }
        catch (Exception e)
            when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            await error.WriteLineAsync($"Could not reach the control plane at {server}: {e.Message}. Check --server "
                + "(or HEARTH_SERVER) and that it runs.").ConfigureAwait(false);
            return (2, string.Empty);
        }
    }

    /// <summary>An error answer as one line: status, error and hint.</summary>
    public static string Describe(HttpStatusCode status, string body)
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

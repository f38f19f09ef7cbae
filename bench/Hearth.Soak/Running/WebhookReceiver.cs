using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Hearth.Soak.History;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Hearth.Soak.Running;

/// <summary>
/// The jobs' webhook target, on loopback: <c>POST /hook/{seq}?fail=k</c> answers 500 to the first k deliveries of a
/// job (so retries are exercised) and 200 after. Each delivery is written to the history with its signature checked
/// the Standard Webhooks way (HMAC-SHA256 of <c>id.timestamp.body</c> under the <c>whsec_</c> secret, ±5 min).
/// </summary>
internal sealed class WebhookReceiver(HistoryLog history, string secret, TimeProvider time) : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, int> _deliveries = new(StringComparer.Ordinal);
    private readonly byte[] _key = Convert.FromBase64String(secret["whsec_".Length..]);
    private WebApplication? _app;

    public string BaseUrl { get; private set; } = string.Empty;

    public int Received => _deliveries.Values.Sum();

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.MapPost("/hook/{seq}", HandleAsync);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        BaseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        _app = app;
    }

    private async Task<IResult> HandleAsync(string seq, HttpContext http)
    {
        using var buffer = new MemoryStream();
        await http.Request.Body.CopyToAsync(buffer, http.RequestAborted).ConfigureAwait(false);
        var body = buffer.ToArray();
        var id = http.Request.Headers["webhook-id"].ToString();
        var valid = Verify(id, http.Request.Headers["webhook-timestamp"].ToString(),
            http.Request.Headers["webhook-signature"].ToString(), body);
        var (job, status, output, error) = Read(body);
        var n = _deliveries.AddOrUpdate(job ?? seq, 1, (_, c) => c + 1);
        var fail = int.TryParse(http.Request.Query["fail"], NumberStyles.None, CultureInfo.InvariantCulture, out var f) ? f : 0;
        var code = n <= fail ? 500 : 200;
        history.Write(new HistoryEvent
        {
            Type = EventTypes.Webhook, Job = job, Seq = long.TryParse(seq, CultureInfo.InvariantCulture, out var s) ? s : null,
            Status = status, Output = output, Error = error, Valid = valid, Webhook = id, Detail = $"delivery {n}, answered {code}",
        });
        return Results.StatusCode(code);
    }

    private bool Verify(string id, string timestamp, string signature, byte[] body)
    {
        if (id.Length == 0 || !long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            || Math.Abs(time.GetUtcNow().ToUnixTimeSeconds() - seconds) > 300)
        {
            return false;
        }

        var signed = Encoding.UTF8.GetBytes($"{id}.{timestamp}.").Concat(body).ToArray();
        var expected = HMACSHA256.HashData(_key, signed);
        return signature.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Where(e => e.StartsWith("v1,", StringComparison.Ordinal))
            .Any(e => Convert.TryFromBase64String(e[3..], new byte[expected.Length], out var written) && written == expected.Length
                && CryptographicOperations.FixedTimeEquals(Convert.FromBase64String(e[3..]), expected));
    }

    private static (string? Job, string? Status, string? Output, string? Error) Read(byte[] body)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            var root = doc.RootElement;
            string? Text(string name) => root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
            var output = root.TryGetProperty("output", out var o) ? o.GetRawText() : null;
            return (Text("id"), Text("status"), output, Text("error"));
        }
        catch (JsonException)
        {
            return (null, null, null, null);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync().ConfigureAwait(false);
            await _app.DisposeAsync().ConfigureAwait(false);
        }
    }
}

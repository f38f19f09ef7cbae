using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Hearth.Soak.History;

namespace Hearth.Soak.Running;

/// <summary>
/// The soak's clients: submits the mix at a steady rate (open loop), then follows each job to its end the way a
/// client does — <c>status-sync</c> long polls, a cancel for the cancel kind, <c>/stream</c> reads for the streaming
/// kind — and reads it once more a little later. Every request and its answer goes to the history.
/// </summary>
internal sealed partial class LoadGenerator(SoakContext soak, IControlPlane plane, string? webhookBase) : IDisposable
{
    private readonly HttpClient _http = new(new SocketsHttpHandler { MaxConnectionsPerServer = 256, PooledConnectionLifetime = TimeSpan.FromMinutes(1) })
    {
        Timeout = TimeSpan.FromSeconds(30),
    };

    private readonly ConcurrentDictionary<string, SoakJob> _acked = new(StringComparer.Ordinal);
    private readonly ConcurrentBag<Task> _following = [];
    private readonly string _run = "r" + soak.Options.Seed.ToString(System.Globalization.CultureInfo.InvariantCulture);
    private readonly Random _random = new(soak.Options.Seed);
    private string? _webhookBase = webhookBase;
    private long _submitted;

    /// <summary>Jobs acknowledged, by id.</summary>
    public IReadOnlyDictionary<string, SoakJob> Acked => _acked;

    public long Submitted => Interlocked.Read(ref _submitted);

    /// <summary>Submits <see cref="SoakOptions.Jobs"/> jobs spread over <see cref="SoakOptions.Minutes"/> (or until
    /// <paramref name="cancellationToken"/>), following each; returns when the last submit was answered.</summary>
    public async Task RunAsync(CancellationToken cancellationToken, CancellationToken abort)
    {
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", soak.ApiKey);
        var o = soak.Options;
        var interval = TimeSpan.FromMilliseconds(o.Minutes * 60_000 / o.Jobs);
        var started = soak.Time.GetTimestamp();
        for (long seq = 1; seq <= o.Jobs && !cancellationToken.IsCancellationRequested; seq++)
        {
            SoakJob job;
            lock (_random)
            {
                job = SoakJobs.Next(seq, _random, _webhookBase, _run, o);
            }

            _following.Add(FollowAsync(job, abort));
            Interlocked.Increment(ref _submitted);
            var due = interval * seq - soak.Time.GetElapsedTime(started);
            if (due > TimeSpan.Zero)
            {
                try
                {
                    await Task.Delay(due, soak.Time, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }
    }

    /// <summary>Waits (bounded) for every followed job to be seen final.</summary>
    public async Task DrainAsync(TimeSpan within)
    {
        var all = Task.WhenAll(_following.ToArray());
        await Task.WhenAny(all, Task.Delay(within, soak.Time)).ConfigureAwait(false);
    }

    /// <summary>Reads every acknowledged job once more (after the load and the faults): the final check of I1/I4.</summary>
    public async Task ReadAllAsync(CancellationToken cancellationToken)
    {
        await Parallel.ForEachAsync(_acked, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken },
            async (pair, ct) => await StatusAsync(pair.Value.Endpoint, pair.Key, pair.Value.Seq, wait: false, ct).ConfigureAwait(false))
            .ConfigureAwait(false);
    }

    private async Task FollowAsync(SoakJob job, CancellationToken cancellationToken)
    {
        await Task.Yield();
        var id = await SubmitAsync(job, cancellationToken).ConfigureAwait(false);
        if (id is null)
        {
            return;
        }

        if (job.CancelAfterMs > 0)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(job.CancelAfterMs), soak.Time, cancellationToken).ConfigureAwait(false);
            await CancelAsync(job, id, cancellationToken).ConfigureAwait(false);
        }

        // Follow until final: the timeout, a lost worker's lease twice over, and room for outages.
        var deadline = soak.Time.GetUtcNow().AddMilliseconds(job.TimeoutMs + (4 * soak.Options.LeaseMs) + 120_000);
        var reads = 0;
        while (soak.Time.GetUtcNow() < deadline && !cancellationToken.IsCancellationRequested)
        {
            if (job.Kind == "stream" && reads++ % 2 == 0)
            {
                await StreamAsync(job, id, cancellationToken).ConfigureAwait(false);
            }

            var status = await StatusAsync(job.Endpoint, id, job.Seq, wait: true, cancellationToken).ConfigureAwait(false);
            if (status is "COMPLETED" or "FAILED" or "CANCELLED" or "TIMED_OUT")
            {
                // A client that reads again later must see the same result.
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(500, 3000)), soak.Time, cancellationToken).ConfigureAwait(false);
                await StatusAsync(job.Endpoint, id, job.Seq, wait: false, cancellationToken).ConfigureAwait(false);
                return;
            }

            if (status is null or "404")
            {
                await Task.Delay(TimeSpan.FromMilliseconds(500), soak.Time, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task<string?> SubmitAsync(SoakJob job, CancellationToken cancellationToken)
    {
        var key = $"soak-{_run}-{job.Seq}";
        for (var attempt = 0; attempt < 12 && !cancellationToken.IsCancellationRequested; attempt++)
        {
            var (replica, url) = Pick(attempt);
            using var request = new HttpRequestMessage(HttpMethod.Post, $"{url}/v2/{job.Endpoint}/run")
            {
                Content = new StringContent(job.Body.ToJsonString(), Encoding.UTF8, "application/json"),
            };
            request.Headers.Add("Idempotency-Key", key);
            var (code, text, error, t0) = await SendAsync(request, cancellationToken).ConfigureAwait(false);
            var id = code is >= 200 and < 300 ? Field(text, "id") : null;
            soak.History.Write(new HistoryEvent
            {
                Type = EventTypes.Submit, T0 = t0, Http = code, Error = error ?? (code >= 300 ? text : null), Job = id,
                Kind = job.Kind, Seq = job.Seq, TimeoutMs = job.TimeoutMs, Scope = job.Session,
                Webhook = job.Webhook, Replica = replica, Target = job.Endpoint,
            });
            if (id is not null)
            {
                _acked[id] = job;
                return id;
            }

            if (code == 400 && job.Webhook is not null && text?.Contains("webhook", StringComparison.Ordinal) == true)
            {
                // The control plane refuses loopback webhooks (not allow-listed): say so once, carry on without.
                WebhooksRefused(text);
                return await SubmitAsync(job with { Body = Without(job.Body, "webhook"), Webhook = null }, cancellationToken).ConfigureAwait(false);
            }

            if (code is >= 400 and < 500 and not 429)
            {
                return null;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(500 + (250 * attempt)), soak.Time, cancellationToken).ConfigureAwait(false);
        }

        return null;
    }

    private void WebhooksRefused(string answer)
    {
        if (Interlocked.Exchange(ref _webhookBase, null) is not null)
        {
            soak.History.Write(new HistoryEvent
            {
                Type = EventTypes.Note, Kind = "webhooks-refused",
                Detail = "the control plane refused the loopback webhook receiver at submit, so no webhook was exercised: " + answer,
            });
        }
    }

    private static System.Text.Json.Nodes.JsonObject Without(System.Text.Json.Nodes.JsonObject body, string field)
    {
        var copy = (System.Text.Json.Nodes.JsonObject)body.DeepClone();
        copy.Remove(field);
        return copy;
    }

    private async Task CancelAsync(SoakJob job, string id, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 4; attempt++)
        {
            var (replica, url) = Pick(attempt);
            using var request = new HttpRequestMessage(HttpMethod.Post, $"{url}/v2/{job.Endpoint}/cancel/{id}");
            var (code, text, error, t0) = await SendAsync(request, cancellationToken).ConfigureAwait(false);
            soak.History.Write(new HistoryEvent
            {
                Type = EventTypes.Cancel, T0 = t0, Http = code, Error = error, Job = id, Seq = job.Seq,
                Status = Field(text, "status"), Replica = replica, Target = job.Endpoint,
            });
            if (code is >= 200 and < 500)
            {
                return;
            }
        }
    }

    private async Task StreamAsync(SoakJob job, string id, CancellationToken cancellationToken)
    {
        var (replica, url) = Pick(0);
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{url}/v2/{job.Endpoint}/stream/{id}");
        var (code, text, error, t0) = await SendAsync(request, cancellationToken).ConfigureAwait(false);
        soak.History.Write(new HistoryEvent
        {
            Type = EventTypes.Stream, T0 = t0, Http = code, Error = error, Job = id, Seq = job.Seq,
            Status = Field(text, "status"), Output = Raw(text, "stream"), Replica = replica, Target = job.Endpoint,
        });
    }

    /// <summary>One status read (a 3 s long poll with <paramref name="wait"/>); returns the status, null without an
    /// answer.</summary>
    private async Task<string?> StatusAsync(string endpoint, string id, long seq, bool wait, CancellationToken cancellationToken)
    {
        var (replica, url) = Pick(Random.Shared.Next(2));
        using var request = new HttpRequestMessage(HttpMethod.Get, wait
            ? $"{url}/v2/{endpoint}/status-sync/{id}?wait=3000"
            : $"{url}/v2/{endpoint}/status/{id}");
        var (code, text, error, t0) = await SendAsync(request, cancellationToken).ConfigureAwait(false);
        var status = code == 200 ? Field(text, "status") : null;
        soak.History.Write(new HistoryEvent
        {
            Type = EventTypes.Status, T0 = t0, Http = code, Job = id, Seq = seq, Status = status,
            Output = code == 200 ? Raw(text, "output") : null,
            Error = code == 200 ? Field(text, "error") : error ?? Truncate(text),
            DelayMs = code == 200 && Raw(text, "delayTime") is { } d && long.TryParse(d, out var ms) ? ms : null,
            Replica = replica, Target = endpoint,
        });
        return code == 200 ? status : code == 404 ? "404" : null;
    }

    private (int Replica, string Url) Pick(int attempt)
    {
        var urls = plane.ClientUrls;
        var i = (attempt + Random.Shared.Next(urls.Count)) % urls.Count;
        return (i + 1, urls[i]);
    }

    private async Task<(int? Code, string? Text, string? Error, long T0)> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var t0 = soak.History.Now;
        try
        {
            using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            return ((int)response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false), null, t0);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return (null, null, e.GetType().Name + ": " + e.Message, t0);
        }
    }

    private static string? Field(string? json, string name) =>
        Raw(json, name) is { } raw && raw.StartsWith('"') ? JsonSerializer.Deserialize<string>(raw) : null;

    private static string? Raw(string? json, string name)
    {
        if (string.IsNullOrEmpty(json))
        {
            return null;
        }

        try
        {
            using var doc = JsonDocument.Parse(json);
            return doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty(name, out var v) ? v.GetRawText() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? Truncate(string? text) => text is null ? null : text.Length <= 300 ? text : text[..300];

    public void Dispose() => _http.Dispose();
}

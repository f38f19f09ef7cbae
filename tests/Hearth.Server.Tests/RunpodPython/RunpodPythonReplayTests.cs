using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Hearth.Server.Hosting;
using Hearth.Server.Tests.Fixtures;

namespace Hearth.Server.Tests.RunpodPython;

/// <summary>
/// "runpod-python workers run unchanged", worker side: replays the exact requests the genuine runpod-python SDK
/// sent to <c>hearth dev</c> (recording.json) against a test server and checks every answer — status code,
/// Content-Type and body byte for byte — after the normalization documented in <see cref="Normalization"/>, and the
/// /status each client saw. Re-record with record.py when an answer changes on purpose.
/// </summary>
public sealed class RunpodPythonReplayTests(GarnetStoreFixture store) : IClassFixture<GarnetStoreFixture>
{
    private static readonly TimeSpan AnswerBound = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task Hearth_answers_the_genuine_runpod_python_worker_as_recorded()
    {
        var recording = RunpodPythonRecording.Load();
        await using var server = await TestServer.StartAsync(store.Host, o =>
        {
            foreach (var endpoint in recording.WorkerIds.Keys)
            {
                // As in the recording's hearth.yaml (execution_timeout_ms: 60000).
                o.Endpoints.Add(new EndpointOptions { Name = endpoint, ExecutionTimeoutMs = 60_000 });
            }

            // Not a normalization: only how long an empty take or stop poll waits before its 204 (20 s in hearth dev),
            // so the replay's virtual clock moves a little for each recorded 204.
            o.LongPoll = TimeSpan.FromSeconds(1);
        });
        using var worker = new HttpClient(new HttpClientHandler { AutomaticDecompression = DecompressionMethods.None })
        {
            BaseAddress = new Uri(server.BaseUrl),
            Timeout = TimeSpan.FromSeconds(30),
        };
        var ids = new Dictionary<string, string>(StringComparer.Ordinal);
        var finalStatus = new Dictionary<string, string>(StringComparer.Ordinal);
        var jobs = new Dictionary<string, RecordedExchange>(StringComparer.Ordinal);

        foreach (var (recorded, n) in recording.Events.Select((e, i) => (e, i)))
        {
            var at = $"event #{n}, {recorded}";
            using var request = recorded.IsWorker ? WorkerRequest(recorded, ids) : ClientRequest(recorded, ids);
            var sending = (recorded.IsWorker ? worker : server.Client).SendAsync(request);
            using var answer = recorded.IsWorker && recorded.Status == 204
                ? await AdvanceUntilAnsweredAsync(server, sending, at)
                : await Bounded(sending, at, recorded);
            var body = await answer.Content.ReadAsStringAsync();
            Assert.True((int)answer.StatusCode == recorded.Status,
                $"{at}: status {(int)answer.StatusCode}, recorded {recorded.Status}. Body: {body}");
            var contentType = answer.Content.Headers.ContentType?.ToString();
            Assert.True(contentType == recorded.ContentType,
                $"{at}: Content-Type '{contentType}', recorded '{recorded.ContentType}'");
            if (!recorded.IsWorker && recorded.Path.EndsWith("/run", StringComparison.Ordinal))
            {
                // The recorded id of this job becomes the id the replay's server gave it.
                var live = (string)TestServer.Parse(body)["id"]!;
                ids[(string)TestServer.Parse(recorded.Response)["id"]!] = live;
                jobs[live] = recorded;
            }

            var expected = Normalization.Answer(Normalization.Ids(recorded.Response, ids));
            var replayed = Normalization.Answer(body);
            Assert.True(expected == replayed,
                $"{at}: the answer differs after normalization.\nrecorded: {expected}\nreplayed: {replayed}");
            if (!recorded.IsWorker && recorded.Path.Contains("/status/", StringComparison.Ordinal))
            {
                finalStatus[(string)TestServer.Parse(body)["id"]!] = body;
            }
        }

        // What each client saw last, in plain terms (also compared byte for byte above).
        var outcome = finalStatus.ToDictionary(p => jobs[p.Key].Label!, p => TestServer.Parse(p.Value));
        Assert.Equal(
            ["after-cancel", "cancel", "error-dict", "plain", "progress", "raise", "stream"], outcome.Keys.Order());
        Assert.Equal("COMPLETED", (string?)outcome["plain"]["status"]);
        Assert.Equal("héllo wörld ✓", (string?)outcome["plain"]["output"]!["echo"]);
        Assert.Equal("FAILED", (string?)outcome["error-dict"]["status"]);
        Assert.Equal("the input was refused", (string?)outcome["error-dict"]["error"]);
        Assert.Equal("text", (string?)outcome["error-dict"]["output"]!["field"]);
        Assert.Equal("FAILED", (string?)outcome["raise"]["status"]);
        Assert.Contains("boom from the handler", (string?)outcome["raise"]["error"]);
        Assert.Equal("COMPLETED", (string?)outcome["progress"]["status"]);
        Assert.Equal("CANCELLED", (string?)outcome["cancel"]["status"]);
        Assert.Equal("COMPLETED", (string?)outcome["after-cancel"]["status"]);
        Assert.Equal("COMPLETED", (string?)outcome["stream"]["status"]);
        Assert.Equal(3, outcome["stream"]["output"]!.AsArray().Count);
        Assert.All(finalStatus, p => Assert.Equal(
            recording.WorkerIds[jobs[p.Key].Endpoint], (string?)TestServer.Parse(p.Value)["workerId"]));
    }

    /// <summary>
    /// The SDK's request as recorded: method, path and query, body bytes and headers, with two substitutions: the
    /// replay's job ids (normalization 1) and the test server's worker token for <c>&lt;worker-token&gt;</c> in
    /// Authorization (hearth dev makes a random token per run; the header stays raw, without "Bearer", as sent).
    /// </summary>
    private static HttpRequestMessage WorkerRequest(RecordedExchange recorded, IReadOnlyDictionary<string, string> ids)
    {
        var request = new HttpRequestMessage(new HttpMethod(recorded.Method), Normalization.Ids(recorded.Path, ids));
        string? contentType = null;
        foreach (var (name, value) in recorded.Headers ?? new Dictionary<string, string>())
        {
            switch (name)
            {
                case "authorization":
                    var token = value.Replace("<worker-token>", TestServer.WorkerToken, StringComparison.Ordinal);
                    Assert.True(request.Headers.TryAddWithoutValidation("Authorization", token), value);
                    break;
                case "content-type":
                    contentType = value;
                    break;
                default:
                    Assert.True(request.Headers.TryAddWithoutValidation(name, Normalization.Ids(value, ids)), name);
                    break;
            }
        }

        if (recorded.Body is not null || contentType is not null)
        {
            // The SDK's session declares application/json on its bodiless GETs too; HttpClient sends a Content-Type
            // only with content, so those go with empty content (and Content-Length: 0).
            request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(Normalization.Ids(recorded.Body ?? "", ids)));
            if (contentType is not null)
            {
                request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
            }
        }

        return request;
    }

    /// <summary>The recorder's client call (sent with the test server's client key instead of hearth dev's).</summary>
    private static HttpRequestMessage ClientRequest(RecordedExchange recorded, IReadOnlyDictionary<string, string> ids)
    {
        var request = new HttpRequestMessage(new HttpMethod(recorded.Method), Normalization.Ids(recorded.Path, ids));
        if (recorded.Body is not null)
        {
            request.Content = TestServer.Json(recorded.Body);
        }

        return request;
    }

    private static async Task<HttpResponseMessage> Bounded(
        Task<HttpResponseMessage> sending, string at, RecordedExchange recorded)
    {
        try
        {
            return await sending.WaitAsync(AnswerBound);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException(
                $"{at}: no answer in {AnswerBound.TotalSeconds} s (recorded: {recorded.Status} {recorded.Response})");
        }
    }

    /// <summary>A recorded 204 is a long poll that ran out: moves the virtual clock (bounded) until it ends.</summary>
    private static async Task<HttpResponseMessage> AdvanceUntilAnsweredAsync(
        TestServer server, Task<HttpResponseMessage> sending, string at)
    {
        using var bound = new CancellationTokenSource(AnswerBound);
        while (!sending.IsCompleted)
        {
            if (bound.IsCancellationRequested)
            {
                throw new TimeoutException($"{at}: the long poll never answered its 204 while the clock moved");
            }

            server.Time.Advance(TimeSpan.FromMilliseconds(200));
            await Task.WhenAny(sending, Task.Delay(10, bound.Token));
        }

        return await sending;
    }
}

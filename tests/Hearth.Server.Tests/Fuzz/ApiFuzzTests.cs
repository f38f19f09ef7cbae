using System.Collections.Concurrent;
using System.Globalization;
using CsCheck;
using Hearth.Server.Hosting;
using Hearth.Server.Tests.Auth;
using Hearth.Server.Tests.Fixtures;
using Hearth.Store;
using Hearth.Store.Keys;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Hearth.Server.Tests.Fuzz;

/// <summary>
/// The API fuzzer (shared/spec/reliability.md S9), on CsCheck: generated requests over every mapped route (client,
/// worker, admin, node, dashboard, metrics) never get an answer of 500 or more, and a refused one (4xx) changes no job,
/// count, key or session. A concurrent phase looks for 5xx and hangs at volume; a serial phase compares the state
/// before and after each request. <c>./test.sh</c> runs a short pass; the long run is
/// <c>HEARTH_FUZZ_REQUESTS=100000 dotnet test tests/Hearth.Server.Tests -c Release --filter ApiFuzz</c>, with
/// <c>HEARTH_FUZZ_SEED</c> to replay a failure and <c>HEARTH_FUZZ_REPORT=file</c> for the figures.
/// </summary>
public sealed class ApiFuzzTests(GarnetStoreFixture store, ITestOutputHelper output) : IClassFixture<GarnetStoreFixture>
{
    private const string NodeToken = "hn_fuzz_node";
    private const string MetricsKey = "hm_fuzz_metrics";

    /// <summary>Routes that may hold a request open (long polls, waits); a client-side timeout there is no hang.</summary>
    private static readonly string[] Holding = ["runsync", "status-sync", "job-take", "job-stop", "stream"];

    private readonly ConcurrentDictionary<string, int> _statuses = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _routesHit = new(StringComparer.Ordinal);
    private long _sent;
    private long _unsendable;
    private long _held;
    private long _closedEarly;
    private long _stateChecked;

    [Fact]
    public async Task Generated_requests_never_get_a_5xx_and_a_refused_request_changes_nothing()
    {
        var total = int.TryParse(Environment.GetEnvironmentVariable("HEARTH_FUZZ_REQUESTS"), out var n) ? n : 3000;
        var seed = Environment.GetEnvironmentVariable("HEARTH_FUZZ_SEED");
        var ep = GarnetStoreFixture.UniqueEndpoint("fuzz");
        var other = GarnetStoreFixture.UniqueEndpoint("fuzz-other");
        await using var server = await TestServer.StartAsync(store.Host, o =>
        {
            o.Endpoints.Add(new EndpointOptions { Name = ep });
            o.Endpoints.Add(new EndpointOptions { Name = other });
            o.NodeTokens.Add(NodeToken);
            o.MetricsKey = MetricsKey;
            o.LongPoll = TimeSpan.FromMilliseconds(100);
            o.StreamWait = TimeSpan.FromMilliseconds(100);
            o.RateLimits.Enabled = true;

            // The state check compares before and after each request on a real clock: no sweep may move jobs between.
            o.SweepInterval = TimeSpan.FromHours(1);
        }, clock: TimeProvider.System);
        var targets = await SeedAsync(server, ep, other);
        var routes = server.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"])
                .Select(m => (m, "/" + e.RoutePattern.RawText!.TrimStart('/'))))
            .Distinct().OrderBy(r => r.Item2, StringComparer.Ordinal).ToList();
        var grammar = new FuzzGrammar(routes, targets);
        // Header values go out as UTF-8 bytes, so the server also sees non-ASCII in headers.
        using var http = new HttpClient(new SocketsHttpHandler
        {
            UseCookies = false,
            RequestHeaderEncodingSelector = (_, _) => System.Text.Encoding.UTF8,
        }) { BaseAddress = new Uri(server.BaseUrl) };

        // Volume: concurrent requests, each answered below 500 (or held open by a route that holds).
        var concurrent = Math.Max(1, total - Math.Max(1000, total / 5));
        await grammar.Requests.SampleAsync(async r => await SendAsync(http, r), iter: concurrent, threads: 4,
            seed: seed, print: r => r.ToString());

        // State: one request at a time; a refused one leaves every job, count, key and session as it was.
        await grammar.Requests.SampleAsync(async r =>
        {
            var before = await DigestAsync(server, targets);
            var status = await SendAsync(http, r);
            if (status is >= 400 and < 500)
            {
                var after = await DigestAsync(server, targets);
                Assert.True(before == after, $"a {status} answer changed the state:\nbefore {before}\nafter  {after}");
                Interlocked.Increment(ref _stateChecked);
            }
        }, iter: total - concurrent, threads: 1, seed: seed, print: r => r.ToString());

        Report(total, routes.Count);
    }

    /// <summary>Sends one request; its status (0 when it could not be sent or was held open).</summary>
    private async Task<int> SendAsync(HttpClient http, FuzzRequest r)
    {
        try
        {
            return await SendOnceAsync(http, r, expectContinue: false);
        }
        catch (HttpRequestException e) when (r.Body is not null && e.InnerException is IOException)
        {
            // The server answered (a refusal) without reading the body and closed the connection while the body was
            // still being written. Sent again with Expect: 100-continue, the answer arrives before the body would.
            Interlocked.Increment(ref _closedEarly);
            return await SendOnceAsync(http, r, expectContinue: true);
        }
    }

    private async Task<int> SendOnceAsync(HttpClient http, FuzzRequest r, bool expectContinue)
    {
        HttpRequestMessage request;
        try
        {
            request = new HttpRequestMessage(new HttpMethod(r.Method), r.Path + r.Query);
        }
        catch (Exception e) when (e is UriFormatException or ArgumentException or FormatException)
        {
            Interlocked.Increment(ref _unsendable);
            return 0;
        }

        using (request)
        {
            if (r.Authorization is not null && !request.Headers.TryAddWithoutValidation("Authorization", r.Authorization))
            {
                Interlocked.Increment(ref _unsendable);
                return 0;
            }

            foreach (var (name, value) in r.Headers)
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }

            if (r.Body is not null)
            {
                request.Content = new ByteArrayContent(r.Body);
                if (r.ContentType is not null)
                {
                    request.Content.Headers.TryAddWithoutValidation("Content-Type", r.ContentType);
                }

                request.Headers.TransferEncodingChunked = r.Chunked;
                request.Headers.ExpectContinue = expectContinue;
            }

            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try
            {
                using var response = await http.SendAsync(request, timeout.Token);
                var status = (int)response.StatusCode;
                Interlocked.Increment(ref _sent);
                _statuses.AddOrUpdate(status.ToString(CultureInfo.InvariantCulture), 1, (_, c) => c + 1);
                _routesHit.TryAdd($"{r.Method} {r.Route}", 0);
                Assert.True(status < 500, $"{status} for {r}: {await response.Content.ReadAsStringAsync()}");
                return status;
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested)
            {
                Assert.True(Holding.Any(h => r.Route.Contains(h, StringComparison.Ordinal)),
                    $"no answer within 5 s from a route that does not hold requests: {r}");
                Interlocked.Increment(ref _held);
                return 0;
            }
        }
    }

    /// <summary>Jobs in every state, a session, a stored key and a revoked one.</summary>
    private static async Task<FuzzTargets> SeedAsync(TestServer server, string ep, string other)
    {
        var queued = await server.RunAsync(ep, """{"input":{"q":1}}""");
        var held = await server.RunAsync(ep, """{"input":{"p":1},"session_id":"chat-1"}""");
        using var worker = server.Http(TestServer.WorkerToken);
        var taken = TestServer.Parse(await worker.GetStringAsync($"/v2/{ep}/job-take/w-fuzz?"));
        var done = await server.RunAsync(other, """{"input":{"c":1}}""");
        var second = TestServer.Parse(await worker.GetStringAsync($"/v2/{other}/job-take/w-other?"));
        await worker.PostAsync($"/v2/{other}/job-done/w-other/{second["id"]}", TestServer.Json("""{"output":"ok"}"""));
        var (keyId, limited) = await StoredKeyTests.CreateAsync(server,
            $$"""{"kind":"client","endpoints":["{{ep}}"],"operations":["read"]}""");
        var (revokedId, revoked) = await StoredKeyTests.CreateAsync(server, """{"kind":"client"}""");
        using var admin = server.Http(TestServer.AdminKey);
        await admin.DeleteAsync($"/api/keys/{revokedId}");
        return new FuzzTargets
        {
            Endpoints = [ep, other],
            JobIds = [queued, held, (string)taken["id"]!, done],
            KeyIds = [keyId, revokedId],
            Keys = [TestServer.ClientKey, TestServer.OtherClientKey, TestServer.WorkerToken, TestServer.AdminKey,
                NodeToken, MetricsKey, limited, revoked],
        };
    }

    /// <summary>What a refused request must not change: each endpoint's job counts, each seeded job, the stored keys
    /// and the sessions. (Worker presence, audit entries and failed-auth counts may change: they record the
    /// attempt.)</summary>
    private static async Task<string> DigestAsync(TestServer server, FuzzTargets targets)
    {
        var s = server.Services.GetRequiredService<IHearthStore>();
        var parts = new List<string>();
        foreach (var ep in targets.Endpoints)
        {
            var c = await s.CountAsync(ep, 0, 0);
            parts.Add($"{ep}:{c.InQueue}/{c.InProgress}/{c.Completed}/{c.Failed}/{c.Retried}");
            parts.Add(string.Join(",", (await s.ListSessionsAsync(ep, 100)).Select(x => x.Id)));
            foreach (var id in targets.JobIds)
            {
                if (await s.GetAsync(ep, id) is { } job)
                {
                    parts.Add($"{id}:{job.Status}:{job.WorkerId}:{job.OutputJson}:{job.Error}");
                }
            }
        }

        parts.Add("keys:" + await server.Services.GetRequiredService<KeyRegistry>().VersionAsync());
        return string.Join(" | ", parts);
    }

    private void Report(int total, int routes)
    {
        var lines = new List<string>
        {
            $"requests generated: {total}; answered: {_sent}; held open by a waiting route: {_held}; "
                + $"not sendable by HttpClient (invalid URI or header): {_unsendable}; refused before the body was read "
                + $"and sent again with Expect: 100-continue: {_closedEarly}",
            $"mapped routes: {routes}; route and method pairs hit: {_routesHit.Count}",
            "answers: " + string.Join(", ", _statuses.OrderBy(s => s.Key, StringComparer.Ordinal)
                .Select(s => $"{s.Key}×{s.Value}")),
            $"answers ≥ 500: {_statuses.Where(s => s.Key[0] >= '5').Sum(s => s.Value)}; refused requests whose "
                + $"state was compared before and after (serial phase): {_stateChecked}, changed: 0",
        };
        lines.ForEach(output.WriteLine);
        if (Environment.GetEnvironmentVariable("HEARTH_FUZZ_REPORT") is { Length: > 0 } file)
        {
            File.WriteAllLines(file, lines);
        }
    }
}

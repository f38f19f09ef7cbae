using System.Net;
using Hearth.Server.Hosting;
using Hearth.Server.Tests.Fixtures;
using Hearth.Store;
using Hearth.Store.Tests.Fixtures;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Hearth.Server.Tests.Api;

/// <summary>
/// With the store down, every route that needs it answers 503 with Retry-After: found from the server's own route
/// table, so a route added later is checked without anyone listing it here.
/// </summary>
public sealed class StoreOutageRoutesTests
{
    [Fact]
    public async Task Every_route_answers_503_with_retry_after_while_the_store_is_down()
    {
        using var redis = RedisServerFixture.StartWith("--save", "", "--appendonly", "no");
        using var host = StoreHost.Open(new StoreOptions { Store = redis.Url, Durability = StoreDurability.Memory });
        await using var server = await TestServer.StartAsync(host, o =>
        {
            o.Endpoints.Add(new EndpointOptions { Name = "ep" });
            o.NodeTokens.Add(NodeToken);
        });
        var id = await server.RunAsync("ep", """{"input":1}""");
        redis.Crash();

        // All at once: each waits out the store client's timeout before it answers.
        var answers = await Task.WhenAll(Routes(server).Select(async route =>
        {
            var response = await SendAsync(server, route.Method, Fill(route.Pattern, id) + "?key=k", Body(route.Pattern, id));
            var retryAfter = response.Headers.RetryAfter?.Delta is null ? string.Empty : " Retry-After";
            return $"{route.Method} {route.Pattern} -> {(int)response.StatusCode}{retryAfter}";
        }));

        var wrong = answers.Where(a => !a.EndsWith("-> 503 Retry-After", StringComparison.Ordinal)
            && !StoreFree.Any(free => a.StartsWith(free, StringComparison.Ordinal))).ToList();
        Assert.True(wrong.Count == 0, "answered other than 503 with Retry-After:\n" + string.Join('\n', wrong)
            + "\n\nall:\n" + string.Join('\n', answers));
        Assert.True(answers.Length > 30, $"only {answers.Length} routes found");
    }

    /// <summary>Routes that answer without the store, each with why.</summary>
    private static readonly string[] StoreFree =
    [
        "GET / ", "GET /dashboard/", "GET /favicon.ico", // the dashboard's own files
        "POST /api/dashboard/session", "DELETE /api/dashboard/session", // sign-in lives in the process
        "GET /metrics ", // the exporter reads the process's own meters
        "GET /api/store ", // where the store is, from configuration (and the embedded store's own footprint)
        "POST /v2/{endpoint}/job-spans/{workerId} -> 2", // spans are buffered and written in the background
    ];

    private const string NodeToken = "hn_test_node";

    private static string Body(string pattern, string jobId) => pattern switch
    {
        _ when pattern.Contains("job-done-batch", StringComparison.Ordinal) =>
            "[{\"id\":\"" + jobId + "\",\"output\":1}]",
        _ when pattern.Contains("job-spans", StringComparison.Ordinal) => "{\"spans\":[]}",
        _ when pattern.EndsWith("/api/keys/", StringComparison.Ordinal) => "{\"kind\":\"client\"}",
        _ when pattern.EndsWith("/runbatch", StringComparison.Ordinal) => "{\"jobs\":[{\"input\":1}]}",
        _ when pattern.Contains("/nodes/", StringComparison.Ordinal) => """
            {"inventory":{"nodeId":"n","cpuCores":4,"memoryBytes":8589934592,"gpus":[]},"running":[],"exits":[]}
            """,
        _ => "{\"input\":1,\"output\":1}",
    };

    private static IEnumerable<(string Method, string Pattern)> Routes(TestServer server) =>
        server.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"])
                .Select(m => (m, "/" + e.RoutePattern.RawText!.TrimStart('/'))))
            .Distinct().OrderBy(r => r.Item2, StringComparer.Ordinal);

    private static string Fill(string pattern, string jobId) =>
        System.Text.RegularExpressions.Regex.Replace(pattern, "{([^}:=?]+)[^}]*}", m => m.Groups[1].Value switch
        {
            "endpoint" or "name" => "ep",
            "id" or "jobId" => jobId,
            _ => "x1",
        });

    /// <summary>Each route with the credential it takes: admin (also a client key), worker or node.</summary>
    private static async Task<HttpResponseMessage> SendAsync(TestServer server, string method, string path, string body)
    {
        HttpResponseMessage? last = null;
        foreach (var key in new[] { TestServer.AdminKey, TestServer.WorkerToken, NodeToken })
        {
            using var http = server.Http(key);
            using var request = new HttpRequestMessage(new HttpMethod(method), path);
            if (method is "POST" or "PUT")
            {
                request.Content = TestServer.Json(body);
            }

            last = await http.SendAsync(request);
            if (last.StatusCode is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden))
            {
                return last;
            }
        }

        return last!;
    }
}

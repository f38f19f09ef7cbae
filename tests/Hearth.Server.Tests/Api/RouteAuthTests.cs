using System.Net;
using System.Text.RegularExpressions;
using Hearth.Server.Hosting;
using Hearth.Server.Tests.Fixtures;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Hearth.Server.Tests.Api;

/// <summary>
/// Every route the server maps refuses a missing key, an unknown key and every key of the wrong kind. The routes come
/// from the server's own route table, so a route added without auth fails here without anyone listing it — shown
/// against a deliberately open route.
/// </summary>
public sealed class RouteAuthTests(GarnetStoreFixture store) : IClassFixture<GarnetStoreFixture>
{
    private const string NodeToken = "hn_test_node";
    private const string MetricsKey = "hm_test_metrics";

    /// <summary>Routes anyone may call, each with why (a trailing * matches a prefix).</summary>
    private static readonly string[] Public =
    [
        "GET /", "GET /dashboard/*", "GET /favicon.ico", // the dashboard's own files (its data needs the admin key)
        "POST /api/dashboard/session", // signing in: the admin key travels in the body
        "DELETE /api/dashboard/session", // signing out ends the caller's own session only
    ];

    private static readonly Dictionary<string, string> Keys = new(StringComparer.Ordinal)
    {
        ["client"] = TestServer.ClientKey,
        ["worker"] = TestServer.WorkerToken,
        ["admin"] = TestServer.AdminKey,
        ["node"] = NodeToken,
        ["metrics"] = MetricsKey,
    };

    [Fact]
    public async Task Every_mapped_route_refuses_no_key_an_unknown_key_and_keys_of_the_wrong_kind()
    {
        await using var server = await StartAsync();
        var (checkedRoutes, open) = await UnguardedAsync(server);
        Assert.True(open.Count == 0, "routes that let a caller through:\n" + string.Join('\n', open));
        Assert.True(checkedRoutes > 30, $"only {checkedRoutes} routes found");
    }

    [Fact]
    public async Task A_route_mapped_without_auth_is_caught()
    {
        await using var server = await StartAsync(app => app.MapGet("/api/open-test", () => "anyone"));
        var (_, open) = await UnguardedAsync(server);
        Assert.Contains(open, o => o.StartsWith("GET /api/open-test: no key", StringComparison.Ordinal));
    }

    private Task<TestServer> StartAsync(Action<WebApplication>? map = null) => TestServer.StartAsync(store.Host, o =>
    {
        o.Endpoints.Add(new EndpointOptions { Name = "auth-routes" });
        o.NodeTokens.Add(NodeToken);
        o.MetricsKey = MetricsKey;
    }, map: map);

    /// <summary>Each route's failures: a call without a key, with an unknown key, or with a key of a kind the route
    /// is not for, that was not refused (401, or 403 for a known key of the wrong kind).</summary>
    private static async Task<(int Checked, List<string> Open)> UnguardedAsync(TestServer server)
    {
        var open = new List<string>();
        var routes = server.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"])
                .Select(m => (Method: m, Pattern: "/" + e.RoutePattern.RawText!.TrimStart('/'))))
            .Distinct()
            .Where(r => !Public.Any(p => p.EndsWith('*')
                ? $"{r.Method} {r.Pattern}".StartsWith(p[..^1], StringComparison.Ordinal)
                : $"{r.Method} {r.Pattern}" == p))
            .ToList();
        foreach (var (method, pattern) in routes)
        {
            var path = Regex.Replace(pattern, "{([^}:=?]+)[^}]*}", m => m.Groups[1].Value is "endpoint" or "name"
                ? "auth-routes" : "x1");
            Expect(await SendAsync(server, method, path, null), HttpStatusCode.Unauthorized, "no key");
            Expect(await SendAsync(server, method, path, "hk_not_issued"), HttpStatusCode.Unauthorized, "an unknown key");
            foreach (var (kind, key) in Keys.Where(k => !AllowedKinds(pattern).Contains(k.Key)))
            {
                Expect(await SendAsync(server, method, path, key), HttpStatusCode.Forbidden, $"a {kind} key");
            }

            void Expect(HttpStatusCode got, HttpStatusCode want, string with)
            {
                if (got != want)
                {
                    open.Add($"{method} {pattern}: {with} got {(int)got}, not {(int)want}");
                }
            }
        }

        return (routes.Count, open);
    }

    /// <summary>The credential kinds a route is for, by where it lives.</summary>
    private static string[] AllowedKinds(string pattern) => pattern switch
    {
        "/metrics" => ["admin", "metrics"],
        _ when pattern.StartsWith("/api/nodes/", StringComparison.Ordinal) => ["node"],
        _ when pattern.StartsWith("/api/", StringComparison.Ordinal) => ["admin"],
        _ when WorkerRoute().IsMatch(pattern) => ["worker"],
        _ when pattern.StartsWith("/v2/", StringComparison.Ordinal) => ["client", "admin"],
        _ => [],
    };

    private static async Task<HttpStatusCode> SendAsync(TestServer server, string method, string path, string? key)
    {
        using var http = server.Http(key);
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method is "POST" or "PUT")
        {
            request.Content = TestServer.Json("{}");
        }

        return (await http.SendAsync(request)).StatusCode;
    }

    private static Regex WorkerRoute() => new("^/v2/{endpoint}/(job-|ping/|session-)", RegexOptions.None);
}

using System.Net;
using Hearth.Server.Dashboard;
using Hearth.Server.Hosting;
using Hearth.Server.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;

namespace Hearth.Server.Tests.Dashboard;

/// <summary>The dashboard page is public; its data is not: a one-time token or the admin key buys an HttpOnly session cookie.</summary>
public sealed class DashboardSignInTests(GarnetStoreFixture store) : IClassFixture<GarnetStoreFixture>
{
    private static Task<TestServer> StartAsync(GarnetStoreFixture store) =>
        TestServer.StartAsync(store.Host, o => o.Endpoints.Add(new EndpointOptions { Name = GarnetStoreFixture.UniqueEndpoint("dash") }));

    private static HttpClient Browser(TestServer server) =>
        new(new HttpClientHandler { UseCookies = true, CookieContainer = new CookieContainer() }) { BaseAddress = new Uri(server.BaseUrl) };

    [Fact]
    public async Task The_page_and_its_scripts_are_served_with_a_strict_content_security_policy()
    {
        await using var server = await StartAsync(store);
        using var http = Browser(server);
        foreach (var (path, type) in new[] { ("/", "text/html"), ("/dashboard/dashboard.js", "text/javascript"), ("/dashboard/dashboard.css", "text/css") })
        {
            var response = await http.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.StartsWith(type, response.Content.Headers.ContentType!.ToString(), StringComparison.Ordinal);
            Assert.Contains("script-src 'self'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
            Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
        }
    }

    [Fact]
    public async Task A_login_token_works_once_and_its_cookie_opens_the_admin_api()
    {
        await using var server = await StartAsync(store);
        var token = server.Services.GetRequiredService<DashboardSessions>().IssueLoginToken();
        using var browser = Browser(server);
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync("/api/jobs")).StatusCode);

        var signIn = await browser.PostAsync("/api/dashboard/session", TestServer.Json($$"""{"token":"{{token}}"}"""));
        Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
        var cookie = signIn.Headers.GetValues("Set-Cookie").Single();
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/api/jobs")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/api/endpoints")).StatusCode);

        using var other = Browser(server);
        var again = await other.PostAsync("/api/dashboard/session", TestServer.Json($$"""{"token":"{{token}}"}"""));
        Assert.Equal(HttpStatusCode.Unauthorized, again.StatusCode);
        Assert.Contains("used or has expired", (string?)(await TestServer.ReadAsync(again))["error"], StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.NoContent, (await browser.DeleteAsync("/api/dashboard/session")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync("/api/jobs")).StatusCode);
    }

    [Fact]
    public async Task Behind_a_trusted_tls_proxy_the_session_cookie_is_secure()
    {
        await using var server = await StartAsync(store);
        using var direct = server.Http(TestServer.AdminKey);
        var plain = await direct.PostAsync("/api/dashboard/session", null);
        Assert.DoesNotContain("secure", string.Join(';', plain.Headers.GetValues("Set-Cookie")),
            StringComparison.OrdinalIgnoreCase);

        // The proxy on this host (loopback, always trusted) says the browser came over https.
        using var proxied = server.Http(TestServer.AdminKey);
        proxied.DefaultRequestHeaders.Add("X-Forwarded-Proto", "https");
        proxied.DefaultRequestHeaders.Add("X-Forwarded-For", "203.0.113.7");
        var tls = await proxied.PostAsync("/api/dashboard/session", null);
        Assert.Contains("secure", string.Join(';', tls.Headers.GetValues("Set-Cookie")),
            StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task The_admin_key_signs_in_and_other_keys_do_not()
    {
        await using var server = await StartAsync(store);
        using var client = server.Http(TestServer.ClientKey);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.PostAsync("/api/dashboard/session", null)).StatusCode);
        using var admin = server.Http(TestServer.AdminKey);
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync("/api/dashboard/session", null)).StatusCode);
        using var browser = Browser(server);
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.PostAsync("/api/dashboard/session", TestServer.Json("""{"token":"hd_guess"}"""))).StatusCode);

        // A body past the sign-in limit is refused with its size in words a person can use.
        var huge = await browser.PostAsync("/api/dashboard/session", TestServer.Json("{\"token\":\"" + new string('x', 8192) + "\"}"));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, huge.StatusCode);
        Assert.Contains("larger than 4 KB", (string)(await TestServer.ReadAsync(huge))["error"]!);
    }

    [Fact]
    public async Task Tokens_and_sessions_expire()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        var sessions = new DashboardSessions(time, store.Host.Connection);
        var token = sessions.IssueLoginToken();
        time.Advance(DashboardSessions.LoginTokenLifetime);
        Assert.False(await sessions.RedeemAsync(token));

        var session = await sessions.StartSessionAsync();
        Assert.True(await sessions.IsActiveAsync(session));
        time.Advance(DashboardSessions.SessionLifetime);
        Assert.False(await sessions.IsActiveAsync(session));
        Assert.False(await sessions.IsActiveAsync("hs_made_up"));
    }

    [Fact]
    public async Task A_sign_in_on_one_replica_is_honoured_by_another_behind_the_same_proxy_and_a_sign_out_by_both()
    {
        await using var a = await StartAsync(store);
        await using var b = await StartAsync(store);
        var cookies = new CookieContainer();
        using var toA = new HttpClient(new HttpClientHandler { CookieContainer = cookies }) { BaseAddress = new Uri(a.BaseUrl) };
        using var toB = new HttpClient(new HttpClientHandler { CookieContainer = cookies }) { BaseAddress = new Uri(b.BaseUrl) };
        var token = a.Services.GetRequiredService<DashboardSessions>().IssueLoginToken();
        Assert.Equal(HttpStatusCode.OK, (await toA.PostAsync("/api/dashboard/session", TestServer.Json($$"""{"token":"{{token}}"}"""))).StatusCode);

        // Both replicas listen on 127.0.0.1, so the browser sends the one cookie to each, as it would through a proxy.
        Assert.Equal(HttpStatusCode.OK, (await toB.GetAsync("/api/jobs")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await toA.GetAsync("/api/jobs")).StatusCode);

        // The login token was spent on A; B does not take it again.
        using var other = Browser(b);
        Assert.Equal(HttpStatusCode.Unauthorized, (await other.PostAsync("/api/dashboard/session", TestServer.Json($$"""{"token":"{{token}}"}"""))).StatusCode);

        // Signed out on B, the session is over on A too, even for someone who kept the cookie's value.
        var value = cookies.GetCookies(new Uri(a.BaseUrl))[DashboardSessions.CookieName]!.Value;
        Assert.Equal(HttpStatusCode.NoContent, (await toB.DeleteAsync("/api/dashboard/session")).StatusCode);
        using var replay = new HttpClient(new HttpClientHandler { UseCookies = false }) { BaseAddress = new Uri(a.BaseUrl) };
        replay.DefaultRequestHeaders.Add("Cookie", $"{DashboardSessions.CookieName}={value}");
        Assert.Equal(HttpStatusCode.Unauthorized, (await replay.GetAsync("/api/jobs")).StatusCode);
    }
}

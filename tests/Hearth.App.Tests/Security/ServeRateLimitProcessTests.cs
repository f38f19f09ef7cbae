using System.Net;
using System.Net.Http.Headers;
using Hearth.App.Tests.Hosting;

namespace Hearth.App.Tests.Security;

/// <summary>A real `hearth serve` applies Runpod's base rate limits by default (`/purge-queue`: 2 per 10 s) and
/// `--rate-limits off` removes them.</summary>
public sealed class ServeRateLimitProcessTests
{
    [Theory]
    [InlineData(false, HttpStatusCode.TooManyRequests)]
    [InlineData(true, HttpStatusCode.OK)]
    public async Task Serve_limits_by_default_and_not_when_turned_off(bool off, HttpStatusCode third)
    {
        var data = Path.Combine(Path.GetTempPath(), "hearth-limits-" + Guid.NewGuid().ToString("N"));
        string[] args = ["serve", "--endpoint", "echo", "--port", "0", "--data", data, "--api-key", "hk_limits"];
        using var app = AppProcess.Start(AppProcess.Built("src/Hearth.Cli", "hearth.dll"),
            off ? [.. args, "--rate-limits", "off"] : args);
        var address = (await app.WaitForAsync(@"listening on (http://\S+)")).Groups[1].Value;
        using var http = new HttpClient { BaseAddress = new Uri(address) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "hk_limits");

        Assert.Equal(HttpStatusCode.OK, (await http.PostAsync("/v2/echo/purge-queue", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.PostAsync("/v2/echo/purge-queue", null)).StatusCode);
        var response = await http.PostAsync("/v2/echo/purge-queue", null);
        Assert.Equal(third, response.StatusCode);
        if (third == HttpStatusCode.TooManyRequests)
        {
            Assert.NotNull(response.Headers.RetryAfter);
        }

        app.Signal("TERM");
        await app.WaitForExitAsync();
    }
}

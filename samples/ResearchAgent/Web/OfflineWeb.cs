using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ResearchAgent.Web;

/// <summary>
/// The sample's offline web: the HTML pages under <c>web/</c> served on loopback by Kestrel, in the process that runs
/// the control plane. One page, <see cref="SlowPage"/>, hangs for <see cref="SlowDelay"/> before answering, so every
/// run shows a stuck fetch timing out and the pipeline carrying on.
/// </summary>
internal sealed class OfflineWeb : IAsyncDisposable
{
    /// <summary>The page that hangs (a famously slow forum thread).</summary>
    public const string SlowPage = "forum/megathread.html";

    /// <summary>How long the slow page hangs: 60 s, longer than any fetch timeout.</summary>
    public static readonly TimeSpan SlowDelay = TimeSpan.FromSeconds(60);

    private readonly WebApplication _app;

    private OfflineWeb(WebApplication app, string address)
    {
        _app = app;
        Address = address;
    }

    /// <summary>Base URL, e.g. http://127.0.0.1:41234.</summary>
    public string Address { get; }

    /// <summary>Where the pages are: <c>web/</c> next to the app.</summary>
    public static string Root => Path.Combine(AppContext.BaseDirectory, "web");

    /// <summary>The article pages (site index pages are navigation, not content).</summary>
    public static IEnumerable<string> Pages(string root) =>
        Directory.EnumerateFiles(root, "*.html", SearchOption.AllDirectories).Where(p => Path.GetFileName(p) != "index.html").Order(StringComparer.Ordinal);

    /// <summary>Starts the server on a free loopback port.</summary>
    public static async Task<OfflineWeb> StartAsync(TimeProvider time, CancellationToken cancellationToken = default)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var root = Path.GetFullPath(Root);
        app.MapGet("/{**path}", async (string? path, HttpContext http) =>
        {
            var file = Path.GetFullPath(Path.Combine(root, path ?? "index.html"));
            if (!file.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal) || !File.Exists(file))
            {
                return Results.NotFound();
            }

            if (string.Equals(path, SlowPage, StringComparison.Ordinal))
            {
                try
                {
                    await Task.Delay(SlowDelay, time, http.RequestAborted).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return Results.Empty; // the scraper gave up on us, as it should
                }
            }

            var type = file.EndsWith(".css", StringComparison.Ordinal) ? "text/css" : "text/html; charset=utf-8";
            return Results.Text(await File.ReadAllTextAsync(file, http.RequestAborted).ConfigureAwait(false), type);
        });
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new OfflineWeb(app, address);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}

using Hearth.Worker;

namespace Hearth.Soak.Worker;

/// <summary>Points a worker's control-plane URLs at the soak's chaos proxy (same paths, another authority).</summary>
internal static class ProxyUrls
{
    public static void Apply(WorkerOptions options, string proxy)
    {
        options.JobTakeUrl = Via(options.JobTakeUrl, proxy)!;
        options.JobDoneUrl = Via(options.JobDoneUrl, proxy)!;
        options.JobStreamUrl = Via(options.JobStreamUrl, proxy);
        options.PingUrl = Via(options.PingUrl, proxy);
    }

    private static string? Via(string? url, string proxy)
    {
        if (string.IsNullOrEmpty(url))
        {
            return url;
        }

        // Templates hold $ID placeholders, which Uri would escape: swap the authority as text.
        var scheme = url.IndexOf("://", StringComparison.Ordinal);
        var path = url.IndexOf('/', scheme + 3);
        return url[..(scheme + 3)] + proxy + (path < 0 ? string.Empty : url[path..]);
    }
}

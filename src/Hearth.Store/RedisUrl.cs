using StackExchange.Redis;

namespace Hearth.Store;

/// <summary>Parses <c>redis://[user:password@]host[:port][/db]</c> and <c>rediss://</c> into StackExchange.Redis
/// options.</summary>
internal static class RedisUrl
{
    public static (ConfigurationOptions Options, string Display) Parse(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != "redis" && uri.Scheme != "rediss"))
        {
            throw new StoreConfigurationException(
                $"The store '{url}' is not understood. Use 'embedded' (the default) or a URL like "
                + "redis://127.0.0.1:6379.");
        }

        var options = new ConfigurationOptions { AbortOnConnectFail = true, AllowAdmin = true, ConnectTimeout = 5000 };
        options.EndPoints.Add(uri.Host, uri.IsDefaultPort ? 6379 : uri.Port);
        options.Ssl = uri.Scheme == "rediss";
        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            var parts = Uri.UnescapeDataString(uri.UserInfo).Split(':', 2);
            if (parts.Length == 2)
            {
                options.User = parts[0].Length > 0 ? parts[0] : null;
                options.Password = parts[1];
            }
            else
            {
                options.Password = parts[0];
            }
        }

        if (uri.AbsolutePath.Length > 1 && int.TryParse(uri.AbsolutePath.AsSpan(1), out var db))
        {
            options.DefaultDatabase = db;
        }

        // Never show the password.
        var display = $"{uri.Scheme}://{uri.Host}:{(uri.IsDefaultPort ? 6379 : uri.Port)}";
        return (options, display);
    }
}

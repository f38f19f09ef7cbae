using System.Security.Cryptography;
using System.Text;

namespace Hearth.Server.Dashboard;

/// <summary>
/// Dashboard sign-in. The host hands out one-time login tokens (<c>hearth dev</c> prints a link with one); the page
/// trades a token, or the admin key, for a session kept in an HttpOnly, SameSite=Strict cookie, so neither the admin
/// key nor a reusable secret stays in the page. Tokens and sessions live in this process and are kept only as SHA-256
/// hashes.
/// </summary>
public sealed class DashboardSessions(TimeProvider time)
{
    /// <summary>The session cookie's name.</summary>
    public const string CookieName = "hearth_dashboard";

    /// <summary>How long an unused login token stays valid (default 24 hours): long enough to open the link printed at
    /// start.</summary>
    public static readonly TimeSpan LoginTokenLifetime = TimeSpan.FromHours(24);

    /// <summary>How long a dashboard session lasts after sign-in (default 12 hours).</summary>
    public static readonly TimeSpan SessionLifetime = TimeSpan.FromHours(12);

    /// <summary>Most live sessions and unused tokens each (default 1000); past it the oldest is dropped.</summary>
    public const int MaxEntries = 1000;

    private readonly Dictionary<string, DateTimeOffset> _tokens = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _sessions = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    /// <summary>A new single-use login token for the dashboard link (<c>/?token=…</c>).</summary>
    public string IssueLoginToken() => Add(_tokens, "hd_", LoginTokenLifetime);

    /// <summary>Spends a login token: true once per token, while it is valid.</summary>
    public bool Redeem(string? token)
    {
        if (string.IsNullOrEmpty(token))
        {
            return false;
        }

        lock (_lock)
        {
            return _tokens.Remove(Hash(token), out var expires) && expires > time.GetUtcNow();
        }
    }

    /// <summary>Starts a session; returns the cookie value.</summary>
    public string StartSession() => Add(_sessions, "hs_", SessionLifetime);

    /// <summary>True when the cookie value names a live session.</summary>
    public bool IsActive(string? session)
    {
        if (string.IsNullOrEmpty(session))
        {
            return false;
        }

        lock (_lock)
        {
            return _sessions.TryGetValue(Hash(session), out var expires) && expires > time.GetUtcNow();
        }
    }

    /// <summary>Ends a session (sign-out).</summary>
    public void End(string? session)
    {
        if (!string.IsNullOrEmpty(session))
        {
            lock (_lock)
            {
                _sessions.Remove(Hash(session));
            }
        }
    }

    private string Add(Dictionary<string, DateTimeOffset> into, string prefix, TimeSpan lifetime)
    {
        var value = prefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        var now = time.GetUtcNow();
        lock (_lock)
        {
            foreach (var expired in into.Where(e => e.Value <= now).Select(e => e.Key).ToList())
            {
                into.Remove(expired);
            }

            if (into.Count >= MaxEntries)
            {
                into.Remove(into.MinBy(e => e.Value).Key);
            }

            into[Hash(value)] = now + lifetime;
        }

        return value;
    }

    private static string Hash(string value) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)));
}

using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using StackExchange.Redis;

namespace Hearth.Server.Dashboard;

/// <summary>
/// Dashboard sign-in. The host hands out one-time login tokens (<c>hearth dev</c> prints a link with one); the page
/// trades a token, or the admin key, for a session kept in an HttpOnly, SameSite=Strict cookie, so neither the admin
/// key nor a reusable secret stays in the page. Sessions live in the store, kept only as SHA-256 hashes, so every
/// replica behind one proxy honours a sign-in made on another; one-time login tokens stay in the process that printed
/// them. Each holds its expiry (from the <see cref="TimeProvider"/>); the store drops a session when its lifetime is
/// over.
/// </summary>
public sealed class DashboardSessions(TimeProvider time, IConnectionMultiplexer connection)
{
    /// <summary>The session cookie's name.</summary>
    public const string CookieName = "hearth_dashboard";

    /// <summary>How long an unused login token stays valid (default 24 hours): long enough to open the link printed at
    /// start.</summary>
    public static readonly TimeSpan LoginTokenLifetime = TimeSpan.FromHours(24);

    /// <summary>How long a dashboard session lasts after sign-in (default 12 hours).</summary>
    public static readonly TimeSpan SessionLifetime = TimeSpan.FromHours(12);

    private const string SessionPrefix = "hearth:{hearth}:dash:session:";

    private readonly IDatabase _db = connection.GetDatabase();
    private readonly ConcurrentDictionary<string, long> _tokens = new(StringComparer.Ordinal);

    /// <summary>A new single-use login token for the dashboard link (<c>/?token=…</c>), at start-up. Tokens stay in
    /// this process (only <c>hearth dev</c>, one process, prints a link): nothing is written to the store while it
    /// may still be recovering its log.</summary>
    public string IssueLoginToken()
    {
        var (value, expires) = New("hd_", LoginTokenLifetime);
        _tokens[Hash(value)] = expires;
        return value;
    }

    /// <summary>Spends a login token: true once per token, while it is valid.</summary>
    public Task<bool> RedeemAsync(string? token, CancellationToken cancellationToken = default) =>
        Task.FromResult(!string.IsNullOrEmpty(token) && _tokens.TryRemove(Hash(token), out var expires)
            && expires > time.GetUtcNow().ToUnixTimeMilliseconds());

    /// <summary>Starts a session; returns the cookie value.</summary>
    public async Task<string> StartSessionAsync(CancellationToken cancellationToken = default)
    {
        var (value, expires) = New("hs_", SessionLifetime);
        var key = SessionPrefix + Hash(value);
        await _db.StringSetAsync(key, expires, SessionLifetime).WaitAsync(cancellationToken).ConfigureAwait(false);
        return value;
    }

    /// <summary>True when the cookie value names a live session.</summary>
    public async Task<bool> IsActiveAsync(string? session, CancellationToken cancellationToken = default) =>
        !string.IsNullOrEmpty(session)
        && Live(await _db.StringGetAsync(SessionPrefix + Hash(session)).WaitAsync(cancellationToken)
            .ConfigureAwait(false));

    /// <summary>Ends a session (sign-out).</summary>
    public async Task EndAsync(string? session, CancellationToken cancellationToken = default)
    {
        if (!string.IsNullOrEmpty(session))
        {
            await _db.KeyDeleteAsync(SessionPrefix + Hash(session)).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private (string Value, long ExpiresMs) New(string prefix, TimeSpan lifetime) =>
        (prefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24)),
            (time.GetUtcNow() + lifetime).ToUnixTimeMilliseconds());

    private bool Live(RedisValue expires) =>
        long.TryParse((string?)expires, NumberStyles.None, CultureInfo.InvariantCulture, out var ms)
        && ms > time.GetUtcNow().ToUnixTimeMilliseconds();

    private static string Hash(string value) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)));
}
